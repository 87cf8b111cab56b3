#!/bin/sh
# The main job on the bundled example caseload, in a throw-away case file: your own case file
# (ICRCTL_DB, or the platform data folder) is never touched, nor your audit key and anchors
# (ICRCTL_CONFIG_DIR: the demo keeps its own). The example is dated around 25 November 2026, so
# "today" is pinned there.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
demo=$(mktemp -d "${TMPDIR:-/tmp}/icrctl-demo.XXXXXX")
export ICRCTL_DB="$demo/caseload.db" ICRCTL_CONFIG_DIR="$demo/config" ICRCTL_TODAY=2026-11-25
icrctl import "$here/caseload.yaml"
echo
icrctl status
echo
icrctl week --week 2026-W49
icrctl week --week 2026-W49 --html "$demo/week-2026-W49.html"
echo
echo "demo case file: $ICRCTL_DB (remove it with: rm -r $demo)"
