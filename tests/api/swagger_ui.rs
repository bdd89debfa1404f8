//! The Swagger UI page in a real browser: headless Chromium renders `/swagger-ui/`, the DOM
//! lists every operation of the contract, and a screenshot is written to `target/swagger-ui.png`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::*;

const TIMEOUT: Duration = Duration::from_secs(60);

fn chromium() -> Option<PathBuf> {
    let candidates = ["chromium", "chromium-browser", "google-chrome"];
    let paths = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&paths)
        .flat_map(|dir| candidates.iter().map(move |name| dir.join(name)))
        .find(|p| p.is_file())
}

fn chromium_required() -> bool {
    std::env::var("THNCD_REQUIRE_CHROMIUM").map(|v| v == "1" || v == "true").unwrap_or(false)
}

/// The `target` directory this test binary was built into (`<target>/debug/deps/api-…`).
fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    exe.ancestors().nth(3).expect("target directory").to_path_buf()
}

/// Runs headless Chromium on `url` with `extra` flags; its standard output. Killed after a minute.
fn run_chromium(browser: &Path, profile: &Path, url: &str, extra: &[&str]) -> String {
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-extensions",
            "--no-first-run",
            "--hide-scrollbars",
            "--window-size=1280,4000",
            "--virtual-time-budget=15000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", browser.display()));
    // Read both pipes on threads so a chatty browser never blocks on a full pipe.
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut text).map(|_| text)
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut text);
        text
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for chromium") {
            break status;
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within {TIMEOUT:?}: {}", err.join().unwrap_or_default());
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let stderr = err.join().unwrap_or_default();
    assert!(status.success(), "chromium exited with {status}: {stderr}");
    out.join().unwrap().expect("chromium output is UTF-8")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn swagger_ui_lists_the_operations_in_headless_chromium() {
    let Some(browser) = chromium() else {
        if chromium_required() {
            panic!("THNCD_REQUIRE_CHROMIUM is set but no chromium is on PATH");
        }
        eprintln!(
            "\n!!!!!!!! chromium not found on PATH: SKIPPING the Swagger UI browser test. \
             Install Debian's `chromium` package to run it. !!!!!!!!\n"
        );
        return;
    };
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let spec = json(app.client.get(app.url("/api-docs/openapi.json")).send().await.unwrap()).await;
    let operations: usize = spec["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|item| {
            ["get", "put", "post", "delete", "patch", "head", "options"]
                .iter()
                .filter(|m| item.get(**m).is_some())
                .count()
        })
        .sum();
    assert!(operations > 100, "{operations} operations in the contract");

    let url = app.url("/swagger-ui/");
    let profile = tempfile::tempdir().unwrap();
    let screenshot = target_dir().join("swagger-ui.png");
    let _ = std::fs::remove_file(&screenshot);
    let started = Instant::now();
    let (dom, _) = {
        let (browser, profile_path, screenshot) = (browser.clone(), profile.path().to_path_buf(), screenshot.clone());
        tokio::task::spawn_blocking(move || {
            let dom = run_chromium(&browser, &profile_path.join("dom"), &url, &["--dump-dom"]);
            let shot = format!("--screenshot={}", screenshot.display());
            let out = run_chromium(&browser, &profile_path.join("shot"), &url, &[&shot]);
            (dom, out)
        })
        .await
        .unwrap()
    };
    eprintln!("chromium: DOM and screenshot in {:?}", started.elapsed());

    // The rendered page (not the HTML shell) lists every operation of the contract.
    let rendered = dom.matches("class=\"opblock opblock-").count();
    assert_eq!(rendered, operations, "operations rendered by Swagger UI vs in the contract");
    for text in ["/api/v1/persons", "/api/v1/auth/token", "/api/v1/loans/{id}/disbursements", "/healthz", "opblock-get"]
    {
        assert!(dom.contains(text), "the rendered Swagger UI lacks {text}");
    }
    assert!(dom.contains(spec["info"]["title"].as_str().unwrap()), "the title is not rendered");

    let png = std::fs::read(&screenshot).unwrap_or_else(|e| panic!("no screenshot at {}: {e}", screenshot.display()));
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    assert!(png.len() > 20_000, "a {}-byte screenshot is too small to show the page", png.len());
    // The IHDR chunk: the requested window size.
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
    assert_eq!((width, height), (1280, 4000));
    eprintln!("screenshot: {} ({} bytes)", screenshot.display(), png.len());
}
