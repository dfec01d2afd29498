#!/usr/bin/env bash
# Sets NX_BASE and NX_HEAD (in $GITHUB_ENV) for `nx affected`, from the event's own commits:
# a pull request compares with its base commit, a push with the commit before it. A new branch or a
# force push has no usable "before" (all zeros, or a commit that is gone): compare with HEAD~1.
# Inputs come through the environment (EVENT_NAME, PR_BASE_SHA, PUSH_BEFORE) and are checked as
# commit ids before git sees them.
set -euo pipefail

head="$(git rev-parse HEAD)"
if [ "${EVENT_NAME:-}" = "pull_request" ]; then
  base="${PR_BASE_SHA:-}"
else
  base="${PUSH_BEFORE:-}"
fi

if ! [[ "$base" =~ ^[0-9a-f]{40}$ ]] || [[ "$base" =~ ^0+$ ]] || ! git cat-file -e "${base}^{commit}" 2>/dev/null; then
  base="$(git rev-parse HEAD~1 2>/dev/null || git rev-list --max-parents=0 HEAD | tail -n 1)"
fi

echo "nx affected: base ${base}, head ${head}"
{
  echo "NX_BASE=${base}"
  echo "NX_HEAD=${head}"
} >> "${GITHUB_ENV:-/dev/null}"
