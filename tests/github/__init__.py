"""GitHub integration: reviewbot pr against a fake GitHub server that checks requests against the API description."""
