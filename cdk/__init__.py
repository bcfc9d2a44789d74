"""Vitrine infrastructure: CDK stacks (storage, models, api, monitoring) and their constructs."""
