# Sourced by the launch scripts, in the project's directory. Each function builds what it needs
# when any source is newer than the last build (tests skipped; scripts/ensure-deps first, for the
# build's tools), then prints the path of a jar.

# the build is current: no source, script of the build or pom newer than its stamp
pqbridge_built() {
  [ -f target/.built ] && [ -z "$(find java native CMakeLists.txt pom.xml -path '*/target' -prune -o -newer target/.built -print -quit)" ]
}

pqbridge_build() {
  if ! pqbridge_built; then
    scripts/ensure-deps >&2
    mvn -B -q -ntp -DskipTests package -pl java/pqbridge-cli -am >&2
    mkdir -p target && touch target/.built
  fi
}

# the command-line tool's self-contained jar (the library, both backends, the demo)
pqbridge_cli_jar() {
  pqbridge_build
  local jar
  for jar in java/pqbridge-cli/target/pqbridge-cli-*.jar; do
    case "$jar" in *-thin.jar|*-sources.jar|*-javadoc.jar|*/original-*) ;; *) echo "$jar"; return ;; esac
  done
  echo "no pqbridge-cli jar in java/pqbridge-cli/target" >&2
  return 1
}

# the test kit's jar (the crash-reproduction kit), to be used with the tool's jar
pqbridge_testkit_jar() {
  pqbridge_build
  local jar
  for jar in java/pqbridge-testkit/target/pqbridge-testkit-*.jar; do
    case "$jar" in *-sources.jar|*-javadoc.jar) ;; *) echo "$jar"; return ;; esac
  done
  echo "no pqbridge-testkit jar in java/pqbridge-testkit/target" >&2
  return 1
}
