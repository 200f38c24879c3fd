#!/usr/bin/env bash
# The README's test command: installs what the tests need, then builds
# everything and runs every test (Java unit tests, then the C conformance
# tests through ctest) with Maven. Missing cross compilers fail the run
# instead of skipping the ILP32/AArch64 checks.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bash scripts/install-deps.sh test
mvn -B -ntp verify -Divp2p.require.cross=ON "$@"
# The sample camera (examples/camera), built against an installed ivp2p as a
# vendor would, driven end to end by the app CLI on loopback.
bash examples/camera/smoke.sh
# The README's demo command, checked as a person would: headless Chromium plays
# the camera's video through the viewer (tests-browser/); the screenshot and the
# captured FLV are left in target/browser-test/.
bash scripts/browser-test.sh
