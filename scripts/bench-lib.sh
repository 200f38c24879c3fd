# Sourced by the bench-*.sh scripts: what every results file records about its run.
#   bench_run_metadata <script path relative to the repo> [args...]
# sets java_bin, machine, commit, command and date, and prints command, date and machine.
bench_run_metadata() {
  local script=$1
  shift
  # The JVM the benchmark uses when nothing is configured: JAVA_HOME, then PATH.
  java_bin=java
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    java_bin="$JAVA_HOME/bin/java"
  fi
  local cpu java_version
  cpu=$(grep -m1 '^model name' /proc/cpuinfo | sed 's/^[^:]*:[[:space:]]*//' || true)
  java_version=$("$java_bin" -version 2>&1 | paste -sd ';' - | sed 's/;/; /g')
  # The load average shows whether something else competed for the CPUs.
  machine="nproc $(nproc); CPU ${cpu:-unknown}; $java_version; load average before the run $(cut -d' ' -f1-3 /proc/loadavg)"
  commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
  if [[ -n "$(git -C "$root" status --porcelain 2>/dev/null)" ]]; then
    commit="$commit + uncommitted changes"
  fi
  command="bash $script${*:+ $*}"
  date=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
  echo "$command"
  echo "$date"
  echo "$machine"
}

# Prints the run record that ends every results file: command, date, source, machine, the table.
#   bench_run_record <table file> [machine note] [extra line after the command]
bench_run_record() {
  local table=$1 machine_note=${2:-} extra=${3:-}
  echo
  echo "Command: \`$command\`"
  echo
  if [[ -n $extra ]]; then
    echo "$extra"
    echo
  fi
  echo "Date: $date"
  echo
  echo "Source: $commit"
  echo
  echo "Machine: $machine$machine_note"
  echo
  echo '```text'
  cat "$table"
  echo '```'
}
