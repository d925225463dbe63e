package io.vigie.convert;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One object the conversion writes, with where it came from and, one line each, what it could not
 * carry over (and why) or carried with a change.
 */
public record Converted(ObjectNode object, String from, List<String> notes) {}
