"""The reference provincial platform: a real HTTP server implementing the contract in
resources/openapi/platform.yaml, with its own database, idempotency store, resumable uploads,
simulated department processing and fault injection. The demo talks to it; the tests attack it.
"""
