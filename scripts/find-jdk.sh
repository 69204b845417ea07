# Sourced by ./nostrp2p and ./run-tests: exports JAVA_HOME pointing at a JDK >= 21.
# Looks at $JAVA_HOME, then `javac` on PATH, then every JDK under /usr/lib/jvm (newest first).

_jdk_major() {  # prints the major version of the JDK at $1, or nothing
  [ -x "$1/bin/javac" ] && [ -x "$1/bin/java" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

_jdk_ok() { local m; m=$(_jdk_major "$1"); [ -n "$m" ] && [ "$m" -ge 21 ]; }

find_jdk() {
  local candidate
  if [ -n "${JAVA_HOME:-}" ] && _jdk_ok "$JAVA_HOME"; then export JAVA_HOME; return 0; fi
  if command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    if _jdk_ok "$candidate"; then export JAVA_HOME="$candidate"; return 0; fi
  fi
  for candidate in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    candidate=${candidate%/}
    if _jdk_ok "$candidate"; then export JAVA_HOME="$candidate"; return 0; fi
  done
  echo "nostrp2p: no JDK 21 or newer found (looked at JAVA_HOME, PATH and /usr/lib/jvm)." >&2
  echo "nostrp2p: install one, e.g. 'apt-get install openjdk-21-jdk-headless', or set JAVA_HOME." >&2
  return 1
}

# MAVEN_OPTS for Maven's own JVM: Maven 3.8's bundled Guava calls sun.misc.Unsafe, which
# JDK 24+ reports on stderr at every build; JDK 21-23 do not know the flag that silences it.
maven_opts() {
  if [ "$(_jdk_major "$JAVA_HOME")" -ge 24 ]; then echo "--sun-misc-unsafe-memory-access=allow"; fi
}
