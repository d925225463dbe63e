package io.vigie.cli;

import picocli.CommandLine;

final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = VigieCommand.class.getPackage().getImplementationVersion();
    return new String[] {"vigie " + (version == null ? "development build" : version)};
  }
}
