# The Vigie operator image: the shaded jar (operator/target/vigie.jar) on a Java 17 JRE, run as a
# non-root numeric user. Build from the repository root (docs/install.md):
#   docker build -t registry.example.com/vigie:0.1.0 .
# The Helm chart runs it with `operator` and its flags as arguments, a read-only root filesystem
# and an emptyDir on /tmp.

# ---- build: Maven and a JDK 17 compile the modules and shade the jar (tests run in CI, not here)
FROM maven:3.9.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY api api
COPY testkit testkit
COPY simulator simulator
COPY operator operator
COPY playground playground
COPY crds crds
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -ntp -Dstyle.color=never -pl operator -am -DskipTests package \
 && cp operator/target/vigie.jar /vigie.jar

# ---- run: a JRE only
FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /vigie.jar /app/vigie.jar
# Numeric, so that Kubernetes' runAsNonRoot can check it; the chart's runAsUser is the same.
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/vigie.jar"]
CMD ["operator"]
