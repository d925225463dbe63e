package io.vigie.cli;

/** The -o formats of the reading commands: text for people, json and yaml for scripts. */
enum Output {
  text, json, yaml
}
