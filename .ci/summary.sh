#!/usr/bin/env bash
# The closing line of a CI run, from bun test's log, its exit code and the steps that failed
# before it: "N passed, M failed" where M counts failed tests plus failed steps, so a red type
# check or build can never end on "687 passed, 0 failed". A test run that ended without bun's
# summary (a crash, a kill) is a failure of its own and the line starts with "crashed:".
# Usage: summary.sh LOG TEST_EXIT_CODE [FAILED_STEP ...]; exits 0 only when nothing failed.
set -uo pipefail
log=$1
test_rc=$2
shift 2
failures=("$@")
passed=$(grep -Eo '^ *[0-9]+ pass$' "$log" | tail -1 | grep -Eo '[0-9]+' || true)
failed=$(grep -Eo '^ *[0-9]+ fail$' "$log" | tail -1 | grep -Eo '[0-9]+' || true)
passed=${passed:-0}
failed=${failed:-0}
prefix=""
if ! grep -Eq '^Ran [0-9]+ tests? across [0-9]+ files?\.' "$log"; then
  failures+=("bun test ended without its summary (exit $test_rc)")
  prefix="crashed: "
elif [ "$test_rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failures+=("bun test (exit $test_rc with no failed test)")
fi
if [ ${#failures[@]} -gt 0 ]; then
  echo "CI failed: $(IFS=';'; echo "${failures[*]}")"
fi
echo "${prefix}${passed} passed, $((failed + ${#failures[@]})) failed"
[ ${#failures[@]} -eq 0 ] && [ "$failed" -eq 0 ]
