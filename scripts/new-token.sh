#!/usr/bin/env bash
# Prints a fresh API token secret in the gateway's format: rl_ and 256 random bits in base64url.
# For a bootstrap admin token (ROBUSTLAB_ADMIN_TOKEN); tokens for people are made through the API.
set -euo pipefail
printf 'rl_%s\n' "$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
