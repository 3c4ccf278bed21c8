#!/usr/bin/env bash
# Onboarding checklist step: scope a new client's request for "customer service training"
# from an answers file, without a single prompt, and print what was recorded.
#
#   examples/onboarding.sh [ANSWERS_FILE] [CLIENT_NAME]
#
# ANSWERS_FILE defaults to answers.yaml beside this script, CLIENT_NAME to the library in it.
# Exit codes are csintake's: 0 the intake is complete, 1 answers are missing or invalid (each
# one is listed on stderr), 2 a usage error, 3 the session is open in another process.

# Stop at the first failing command, on unset variables and on failures inside pipes.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
answers="${1:-$here/answers.yaml}"
client="${2:-Riverbend Public Library}"

# csintake must be installed (pip install csintake, or the project's virtual environment).
if ! command -v csintake >/dev/null 2>&1; then
    echo "onboarding: csintake is not on PATH" >&2
    exit 127
fi

# Sessions go to the store the consultant already uses when CSINTAKE_HOME is set; otherwise
# to a fresh temporary store, so that a trial run leaves the real one untouched. The
# temporary store is kept (and named) so that an incomplete intake can still be finished.
if [[ -z "${CSINTAKE_HOME:-}" ]]; then
    CSINTAKE_HOME="$(mktemp -d "${TMPDIR:-/tmp}/csintake-onboarding.XXXXXX")"
    echo "onboarding: using a temporary store: $CSINTAKE_HOME" >&2
fi
export CSINTAKE_HOME

# Run the intake. --no-input never waits for a keyboard: csintake takes the answers file,
# applies the bank's defaults, and either completes the session or exits 1 after listing
# every missing or invalid answer on stderr. Either way the session id is the only thing on
# stdout, so it is captured here; `|| status=$?` keeps `set -e` from stopping the script
# before we can say what to do next.
status=0
session_id="$(csintake interview --client "$client" --answers "$answers" --no-input)" || status=$?

if [[ $status -ne 0 ]]; then
    if [[ -n "$session_id" ]]; then
        # The valid answers are saved in the session: fix the file and finish the same one.
        echo "onboarding: the intake of $client is incomplete (problems above)." >&2
        echo "onboarding: fix $answers, then run:" >&2
        printf '  CSINTAKE_HOME=%q csintake interview %q --no-input --answers %q\n' \
            "$CSINTAKE_HOME" "$session_id" "$answers" >&2
    else
        echo "onboarding: no session was started for $client (see above)." >&2
    fi
    exit "$status"
fi

# The intake is complete: show every answer, section by section, for the checklist's record.
echo "Session $session_id is complete."
csintake show "$session_id"
