package io.vigie.dashboard;

/** The frame of every page: head, header, the live region the script refreshes, the notice line. */
final class Page {
  private Page() {}

  static String frame(String title, String scope, String live, boolean readOnly) {
    return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<title>" + Html.text(title) + " · Vigie</title>"
        + "<link rel=\"stylesheet\" href=\"/static/style.css\"><script src=\"/static/app.js\" defer></script></head>"
        + "<body><a class=\"skip\" href=\"#live\">Skip to content</a><header><a class=\"brand\" href=\"/\">Vigie</a>"
        + "<span class=\"scope\">" + Html.text(scope) + "</span>"
        + (readOnly ? "<span class=\"readonly\">read-only</span>" : "")
        + "<span id=\"connection\" class=\"connection\" aria-live=\"polite\">connecting…</span></header>"
        + "<p id=\"notice\" role=\"status\" aria-live=\"polite\"></p>"
        + "<main id=\"live\" tabindex=\"-1\">" + live + "</main></body></html>";
  }
}
