package io.vigie.playground;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.slf4j.LoggerFactory;

/**
 * Sends every log of the demo's process to one file: the operator's, the client's and the mock API
 * server's (some of which log through java.util.logging). The terminal keeps only the demo's story.
 */
final class LogFile {
  private static final java.util.logging.Formatter FORMATTER = new java.util.logging.SimpleFormatter();

  private LogFile() {}

  static void routeAllLogsTo(Path file) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX, UTC} %-5level [%thread] %logger{0} %msg%n");
    encoder.start();
    FileAppender<ILoggingEvent> appender = new FileAppender<>();
    appender.setContext(context);
    appender.setName("demo-file");
    appender.setFile(file.toAbsolutePath().toString());
    appender.setAppend(false);
    appender.setEncoder(encoder);
    appender.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    root.addAppender(appender);
    root.setLevel(Level.INFO);
    context.getLogger("io.vigie").setLevel(Level.INFO);
    context.getLogger("io.javaoperatorsdk").setLevel(Level.INFO);
    context.getLogger("io.fabric8").setLevel(Level.WARN);
    context.getLogger("io.netty").setLevel(Level.WARN);

    java.util.logging.Logger jul = java.util.logging.Logger.getLogger("");
    for (Handler handler : jul.getHandlers()) {
      jul.removeHandler(handler);
    }
    jul.setLevel(java.util.logging.Level.INFO);
    jul.addHandler(new Handler() {
      @Override
      public void publish(LogRecord record) {
        org.slf4j.Logger target = LoggerFactory.getLogger(record.getLoggerName() == null ? "jul" : record.getLoggerName());
        String message = FORMATTER.formatMessage(record);
        if (record.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()) {
          target.error(message, record.getThrown());
        } else if (record.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
          target.warn(message, record.getThrown());
        } else {
          target.info(message, record.getThrown());
        }
      }

      @Override
      public void flush() {
        // The file appender writes each event through.
      }

      @Override
      public void close() {
        // The logback context owns the file.
      }
    });
  }
}
