//! TUI speed on the shipped corpus: frame render time per view, and keystroke → redrawn
//! results (update + search + render), typed one character at a time. Baseline in the same
//! run: ripgrep answering the same final queries over the same source files.
//!
//! Run: `cargo bench --bench tui`

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::{percentile, run_effects};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use visgraat::config::Config;
use visgraat::tui::action::{Action, ViewId};
use visgraat::tui::app::App;
use visgraat::tui::view;
use visgraat::workspace::Workspace;

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

/// A 1 MB source for the reader: the shipped intermezzos' text repeated (synthetic, for this
/// benchmark only).
fn write_large_source(corpus: &Path) {
    let mut body = String::new();
    let dir = corpus.join("sources/intermezzo");
    let texts: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .map(|t| t.rsplit("+++\n").next().unwrap_or_default().to_string())
        .collect();
    while body.len() < 1_000_000 {
        for t in &texts {
            body.push_str(t.trim());
            body.push_str("\n\n");
        }
    }
    let text = format!(
        "+++\nid = \"synthetic-bench-1mb\"\nkind = \"report\"\ntitle = \"Synthetic 1 MB source (benchmark)\"\nprovenance = \"the shipped intermezzos, repeated\"\n+++\n{body}"
    );
    std::fs::write(corpus.join("sources/report/synthetic-bench-1mb.md"), text).unwrap();
}

/// Keystroke → frame in the reader on the 1 MB source (motions, page moves), beside what
/// wrapping that source once costs: the old reader wrapped it three times per keystroke.
fn reader_keystrokes(app: &mut App, terminal: &mut Terminal<TestBackend>) {
    let index = app.ws.corpus.source_index("synthetic-bench-1mb").unwrap();
    app.open_reader(index, 0);
    let keys = [
        Action::Down,
        Action::WordNext,
        Action::PageDown,
        Action::SentenceNext,
        Action::Right,
        Action::ParagraphNext,
    ];
    let mut samples = Vec::new();
    for i in 0..300 {
        let t = Instant::now();
        app.update(keys[i % keys.len()].clone());
        terminal.draw(|f| view::render(app, f)).unwrap();
        samples.push(t.elapsed());
    }
    let width = visgraat::tui::layout::reader_text_width(app.size, true);
    let source = &app.ws.corpus.sources[index];
    let mut wraps = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        std::hint::black_box(visgraat::tui::pages::reader::lines_of(source, width));
        wraps.push(t.elapsed());
    }
    let wrap = percentile(&mut wraps, 0.5);
    let p95 = percentile(&mut samples, 0.95);
    println!(
        "reader keystroke → frame, 1 MB source ({} chars, 300 keystrokes): p50 {}  p95 {}",
        source.char_len(),
        ms(percentile(&mut samples, 0.5)),
        ms(p95)
    );
    println!(
        "  baseline: one wrap of that source {} (the old reader wrapped it 3× per keystroke: {}); target p95 < 16 ms",
        ms(wrap),
        ms(wrap * 3)
    );
    app.update(Action::Show(ViewId::Documents));
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    Command::new("cp")
        .arg("-r")
        .arg(root.join("corpus"))
        .arg(dir.path().join("corpus"))
        .status()
        .unwrap();
    write_large_source(&dir.path().join("corpus"));
    let mut config = Config::at(dir.path());
    config.coder = "bench".into();
    let ws = Workspace::open(config).unwrap();
    ws.refresh_index(false).unwrap();
    let searcher = ws.searcher().unwrap();
    let size = (140, 40);
    let mut app = App::new(ws, size, true);
    let mut terminal = Terminal::new(TestBackend::new(size.0, size.1)).unwrap();

    println!("frame render time, {}x{} (200 frames each)", size.0, size.1);
    let setups: [(&str, Vec<Action>); 4] = [
        (
            "documents (reader open)",
            vec![
                Action::Show(ViewId::Documents),
                Action::Down,
                Action::Down,
                Action::Down,
                Action::Enter,
            ],
        ),
        (
            "search (results)",
            vec![
                Action::FocusSearch,
                Action::Input('w'),
                Action::Input('e'),
                Action::Input('r'),
                Action::Input('k'),
            ],
        ),
        ("fishbone", vec![Action::Show(ViewId::Fishbone)]),
        ("codes", vec![Action::Show(ViewId::Codes)]),
    ];
    for (name, actions) in setups {
        for a in actions {
            app.update(a);
        }
        run_effects(&mut app, &searcher);
        let mut samples = Vec::new();
        for _ in 0..200 {
            let t = Instant::now();
            terminal.draw(|f| view::render(&app, f)).unwrap();
            samples.push(t.elapsed());
        }
        println!(
            "  {name:<26} p50 {}  p95 {}",
            ms(percentile(&mut samples, 0.5)),
            ms(percentile(&mut samples, 0.95))
        );
    }

    reader_keystrokes(&mut app, &mut terminal);

    let queries = [
        "werkdruk",
        "begeleiding",
        "\"warme landing\"",
        "avg OR privacy",
        "docentenwelzijn",
        "ondersteuningsbehoefte",
    ];
    let mut samples = common::keystrokes(&mut app, &searcher, &mut terminal, &queries);
    let n = samples.len();
    println!(
        "keystroke → redrawn results ({n} keystrokes): p50 {}  p95 {}  max {}",
        ms(percentile(&mut samples, 0.5)),
        ms(percentile(&mut samples, 0.95)),
        ms(percentile(&mut samples, 1.0))
    );

    let sources = dir.path().join("corpus/sources");
    let mut rg = Vec::new();
    for q in [
        "werkdruk",
        "begeleiding",
        "warme landing",
        "docentenwelzijn",
        "ondersteuningsbehoefte",
    ] {
        let t = Instant::now();
        let ok = Command::new("rg")
            .args(["-i", "-c", q])
            .arg(&sources)
            .output()
            .is_ok();
        if ok {
            rg.push(t.elapsed());
        }
    }
    if rg.is_empty() {
        println!("baseline: ripgrep not installed");
    } else {
        println!(
            "baseline: rg -i (whole process) over the same files: p50 {}",
            ms(percentile(&mut rg, 0.5))
        );
    }
}
