# Sourced by the launch scripts, in the project's directory. pqbridge_classpath builds the project
# when its sources are newer than the last build (tests skipped; scripts/ensure-deps first, for
# the build's tools) and prints the runtime class path.
pqbridge_classpath() {
  local stamp=target/.built cp=target/runtime-classpath.txt
  if [ ! -f "$stamp" ] || [ ! -f "$cp" ] || [ -n "$(find java/main java/errcodes native CMakeLists.txt pom.xml -newer "$stamp" -print -quit)" ]; then
    scripts/ensure-deps >&2
    mvn -B -q -ntp -DskipTests package dependency:build-classpath -Dmdep.outputFile="$cp" -DincludeScope=runtime >&2
    touch "$stamp"
  fi
  echo "target/classes:$(<"$cp")"
}
