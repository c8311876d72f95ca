"""The review: the conductor (`run.run_review`), the stages it owns, and the result type (`result`).

Nothing is imported here, so a reporter that reads `review.result` does not load the conductor.
"""
