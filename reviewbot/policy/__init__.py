"""The team's rules for what a review shows: config, thresholds, the audit sample, suppressions."""
