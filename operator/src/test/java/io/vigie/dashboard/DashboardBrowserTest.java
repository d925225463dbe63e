package io.vigie.dashboard;

import static io.vigie.testing.OperatorHarness.NS;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigie.api.v1alpha1.CanaryStep;
import io.vigie.api.v1alpha1.RolloutPhase;
import io.vigie.testing.OperatorHarness;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser (Debian's Chromium, driven by Selenium through chromedriver) against
 * the mock API server with the real operator running a canary: the overview lists it, its page follows
 * it without a reload, Abort (confirmed) rolls it back and the page shows the report, a Rollout carrying
 * markup renders it as text. Screenshots go to target/dashboard-screenshots for review.
 */
class DashboardBrowserTest {
  static final Path SHOTS = Path.of("target", "dashboard-screenshots");
  private ChromeDriver browser;
  private OperatorHarness k8s;
  private DashboardServer dashboard;

  @BeforeAll
  static void screenshots() throws IOException {
    Files.createDirectories(SHOTS);
  }

  @BeforeEach
  void start() throws IOException {
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
        "--window-size=1280,800", "--user-data-dir=" + Files.createTempDirectory("vigie-chromium"));
    // Debian's chromedriver, never one Selenium Manager would download (the tests run offline); quit() stops it.
    browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver"))
        .usingAnyFreePort().build(), options);
    k8s = OperatorHarness.start();
    dashboard = DashboardServer.start(k8s.client(), Optional.of(NS), new InetSocketAddress("127.0.0.1", 0), false, k8s.clock());
  }

  @AfterEach
  void stop() {
    browser.quit();
    dashboard.close();
    k8s.close();
  }

  private WebDriverWait waiting() {
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20), Duration.ofMillis(50));
    // The live region is replaced as the Rollout moves: an element found a moment ago may be gone.
    wait.ignoring(StaleElementReferenceException.class);
    return wait;
  }

  /** The text of the element, read again if the page replaced it meanwhile. */
  private String text(By element) {
    return waiting().until(d -> d.findElement(element).getText());
  }

  /** A click (or, with a key, that key pressed on the focused element), again if the page replaced the element. */
  private void press(By element, Keys key) {
    waiting().until(d -> {
      WebElement target = d.findElement(element);
      if (key == null) {
        target.click();
      } else {
        target.sendKeys(key);
      }
      return true;
    });
  }

  /** Waits until the element's text contains every part. */
  private void awaitText(By element, String... parts) {
    waiting().withMessage(() -> "text of " + element + " containing " + java.util.List.of(parts) + "; it is: "
        + browser.findElements(element).stream().map(WebElement::getText).toList())
        .until(d -> java.util.Arrays.stream(parts).allMatch(p -> d.findElement(element).getText().contains(p)));
  }

  private void shot(String name) throws IOException {
    Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  private String phaseOnPage() {
    return browser.findElement(By.cssSelector("main h1 .phase")).getText();
  }

  @Test
  void theOnCallPersonSeesTheCanaryMoveLiveAndRollsItBackWithAConfirmedAbort() throws IOException {
    k8s.createDeployment("web", "shop/web:v1", 4);
    k8s.createService("web", "web");
    k8s.createRollout("web", "web", "web", CanaryStep.weight(25), CanaryStep.pauseFor("1m"), CanaryStep.weight(50),
        CanaryStep.pauseUntilPromoted());
    k8s.awaitPhase("web", RolloutPhase.Healthy);

    browser.get(dashboard.url().toString());
    By row = By.cssSelector("tr[data-rollout='shop/web']");
    awaitText(row, "web", "Healthy", "canary", "shop/web:v1");
    shot("overview-healthy");

    k8s.setImage("web", "shop/web:v2");
    awaitText(row, "shop/web:v1 → shop/web:v2");

    press(By.linkText("web"), null);
    awaitText(By.cssSelector("ol.steps li.current"), "pause 1m");
    ((JavascriptExecutor) browser).executeScript("window.notReloaded = true;");
    assertThat(text(By.id("weight"))).as("replica ratio: 1 canary pod beside 4").isEqualTo("20%");

    k8s.advance("web", Duration.ofMinutes(1));
    awaitText(By.cssSelector("ol.steps li.current"), "pause until promoted");
    awaitText(By.id("weight"), "50%");
    assertThat(phaseOnPage()).isEqualTo("Paused");
    assertThat(((JavascriptExecutor) browser).executeScript("return window.notReloaded === true")).as("updated in place").isEqualTo(true);
    String trafficChart = waiting().until(d -> d.findElement(By.cssSelector("svg.chart")).getDomAttribute("aria-label"));
    assertThat(trafficChart).contains("20%").contains("50%");
    shot("rollout-paused");

    press(By.cssSelector("button[data-action='abort']"), null);
    waiting().until(ExpectedConditions.alertIsPresent()).dismiss();
    assertThat(k8s.status("web").getPhase()).as("dismissed: nothing written").isEqualTo(RolloutPhase.Paused);
    press(By.cssSelector("button[data-action='abort']"), Keys.ENTER);
    org.openqa.selenium.Alert confirm = waiting().until(ExpectedConditions.alertIsPresent());
    assertThat(confirm.getText()).contains("Roll shop/web back now?");
    confirm.accept();

    waiting().until(d -> "RolledBack".equals(phaseOnPage()));
    awaitText(By.cssSelector("section.report"), "Rollback report", "ManualAbort");
    awaitText(By.cssSelector("section.report pre.diff"), "- container app: image shop/web:v1", "+ container app: image shop/web:v2");
    assertThat(text(By.id("notice"))).isEqualTo("shop/web: requested vigie.io/abort=true");
    waiting().until(d -> d.findElement(By.cssSelector("button[data-action='retry']")).isEnabled());
    waiting().until(d -> !d.findElement(By.cssSelector("button[data-action='abort']")).isEnabled());
    assertThat(((JavascriptExecutor) browser).executeScript("return window.notReloaded === true")).isEqualTo(true);
    shot("rollout-rolled-back");
    ((JavascriptExecutor) browser).executeScript("document.querySelector('section.report').scrollIntoView()");
    shot("rollout-report");

    browser.get(dashboard.url().toString());
    String rowClass = waiting().until(d -> d.findElement(row).getDomAttribute("class"));
    assertThat(rowClass).contains("attention");
    browser.manage().window().setSize(new Dimension(390, 844));
    assertThat(((JavascriptExecutor) browser).executeScript(
        "return document.documentElement.scrollWidth <= window.innerWidth")).as("no sideways scroll on a phone").isEqualTo(true);
    shot("overview-phone");
  }

  @Test
  void markupInARolloutIsShownAsTextNeverRun() throws IOException {
    k8s.createDeployment("web", "shop/web:v1", 2);
    k8s.createService("web", "web");
    k8s.createRollout("web", "<script>window.pwned=1</script>", "web", CanaryStep.weight(50));
    k8s.annotate("web", "team", "<img src=x onerror=\"window.pwned=2\">");
    k8s.awaitPhase("web", RolloutPhase.Invalid);
    assertThat(k8s.status("web").getMessage()).contains("<script>");

    browser.get(dashboard.url() + "rollouts/shop/web");
    awaitText(By.id("message"), "<script>window.pwned=1</script>");
    awaitText(By.cssSelector("dl.annotations"), "<img src=x onerror=\"window.pwned=2\">");
    assertThat(browser.findElements(By.cssSelector("main script, main img"))).isEmpty();
    assertThat(((JavascriptExecutor) browser).executeScript("return window.pwned === undefined")).isEqualTo(true);
    shot("markup-as-text");
  }
}
