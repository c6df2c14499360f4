#!/usr/bin/env bash
# Scores medic on the generalisation corpus (Tests/Corpus, see its README): one line per incident
# (truth and what medic said) and the totals (detection, localization, mitigation, false alarms,
# unsafe actions). Builds the tests first, then runs only CorpusTests.
#   bench/corpus.sh
set -uo pipefail
cd "$(dirname "$0")/.."

swift build --build-tests || exit 2
# The report is printed by CorpusTests.report; the assertions (no false alarm, no unsafe
# action, no silent incident) decide the exit code.
swift test --skip-build --filter CorpusTests
