"""Stage 1 and 2: what a build reads (a clinic's profile and the content), validated into typed objects."""
