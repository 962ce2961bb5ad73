//! Every page and popup, in Dutch and English, at 80×24 and 140×40 (snapshots of the pages,
//! and of the first frame drawn while the workspace loads) and at 60×20: no text of the
//! other language on screen, and what matters is on screen at every size (the source tree,
//! every search filter).

mod common;

use visgraat::tui::action::{Action, ViewId};
use visgraat::tui::app::App;
use visgraat::tui::i18n::{self, Lang};

const PAGES: [ViewId; 7] = [
    ViewId::Documents,
    ViewId::Search,
    ViewId::Fishbone,
    ViewId::Codes,
    ViewId::Matrix,
    ViewId::Review,
    ViewId::Saturation,
];

fn app(p: &common::Project, lang: Lang, size: (u16, u16)) -> App {
    common::tui::app(p, name(lang), "voorbeeld", size)
}

use common::tui::screen;

/// Text of the other language than `lang` on `screen` (its first 14 characters are enough:
/// a long text may be cut at the edge).
fn foreign_text(screen: &str, lang: Lang, data: &str) -> Vec<&'static str> {
    let (own, other) = match lang {
        Lang::Nl => (Lang::Nl, Lang::En),
        Lang::En => (Lang::En, Lang::Nl),
    };
    let own = i18n::all_strings(own);
    let flat: String = screen
        .lines()
        .map(|l| l.trim_matches('"'))
        .collect::<Vec<_>>()
        .join("\n");
    i18n::all_strings(other)
        .into_iter()
        .filter(|s| s.chars().count() >= 8 && !own.contains(s))
        .filter(|s| {
            let head: String = s.chars().take(14).collect();
            // Text of the project (a code book's group named "Fishbone") is not UI text.
            !own.iter().any(|o| o.contains(&head)) && !data.contains(&head) && flat.contains(&head)
        })
        .collect()
}

/// The project's own text that pages show: code book, cases, titles.
fn data_of(app: &App) -> String {
    let corpus = &app.ws.corpus;
    let mut data = String::new();
    for g in &corpus.codebook.groups {
        data.push_str(&format!("{}\n", g.label));
    }
    for c in &corpus.codebook.codes {
        data.push_str(&format!("{}\n{}\n", c.label, c.definition));
    }
    for s in &corpus.sources {
        data.push_str(&format!("{}\n", s.meta.title));
    }
    data
}

fn check_language(app: &App, lang: Lang, what: &str) {
    check_screen_language(&screen(app), lang, &data_of(app), what);
}

fn check_screen_language(screen: &str, lang: Lang, data: &str, what: &str) {
    let foreign = foreign_text(screen, lang, data);
    assert!(
        foreign.is_empty(),
        "{what} in {lang:?} shows {foreign:?}:\n{screen}"
    );
}

fn name(lang: Lang) -> &'static str {
    if lang == Lang::Nl { "nl" } else { "en" }
}

/// Open each page as a user would: the reader on a source, a query in the search.
fn show(app: &mut App, page: ViewId) {
    app.update(Action::Show(page));
    match page {
        ViewId::Documents => {
            app.update(Action::Enter);
        }
        ViewId::Search => {
            for c in "werkdruk".chars() {
                app.update(Action::Input(c));
            }
            let searcher = app.ws.searcher().unwrap();
            app.run_searches_now(&searcher);
            app.update(Action::Down);
        }
        _ => {}
    }
}

#[test]
fn every_page_in_both_languages_at_two_sizes() {
    let p = common::Project::shipped();
    p.expect(0, &["index", "--quiet"]);
    for lang in [Lang::Nl, Lang::En] {
        for size in [(80, 24), (140, 40)] {
            for page in PAGES {
                let mut app = app(&p, lang, size);
                show(&mut app, page);
                let s = screen(&app);
                let what = format!("{page:?} at {}x{}", size.0, size.1);
                check_language(&app, lang, &what);
                insta::assert_snapshot!(
                    format!("page_{page:?}_{}_{}x{}", name(lang), size.0, size.1).to_lowercase(),
                    s
                );
            }
        }
    }
}

/// The first frame, drawn before the workspace is loaded: from the index's catalogue it is
/// the Documents page as it opens, but for the status line, which says it is loading;
/// without a catalogue that matches the corpus, a plain loading frame. Both languages.
#[test]
fn the_first_frame_while_loading_in_both_languages() {
    let p = common::Project::shipped();
    p.expect(0, &["index", "--quiet"]);
    let all_but_status = |screen: &str| {
        let lines: Vec<&str> = screen.lines().collect();
        lines[..lines.len() - 1].join("\n")
    };
    for lang in [Lang::Nl, Lang::En] {
        for size in [(80, 24), (140, 40)] {
            let preview = common::tui::preview(&p, name(lang), size);
            assert!(preview.catalogue.is_some(), "the index build wrote it");
            let s = common::tui::preview_screen(&preview);
            let loaded = app(&p, lang, size);
            let what = format!("the loading frame at {}x{}", size.0, size.1);
            check_screen_language(&s, lang, &data_of(&loaded), &what);
            assert_eq!(
                all_but_status(&s),
                all_but_status(&screen(&loaded)),
                "{what}"
            );
            assert!(s.contains(i18n::messages(lang).loading), "{s}");
            insta::assert_snapshot!(format!("loading_{}_{}x{}", name(lang), size.0, size.1), s);
        }
    }
    // A source renamed since the index was refreshed: the catalogue is not used.
    let sources = p.corpus().join("sources/intermezzo");
    let first = std::fs::read_dir(&sources)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::fs::rename(&first, sources.join("hernoemd.md")).unwrap();
    for lang in [Lang::Nl, Lang::En] {
        let preview = common::tui::preview(&p, name(lang), (80, 24));
        assert!(preview.catalogue.is_none());
        let s = common::tui::preview_screen(&preview);
        assert!(s.contains(i18n::messages(lang).loading_project), "{s}");
        check_screen_language(&s, lang, "", "the plain loading frame");
        insta::assert_snapshot!(format!("loading_plain_{}_80x24", name(lang)), s);
    }
}

#[test]
fn every_popup_speaks_the_ui_language() {
    let p = common::Project::shipped();
    p.expect(0, &["index", "--quiet"]);
    for lang in [Lang::Nl, Lang::En] {
        let popups: [(&str, Vec<Action>); 8] = [
            ("help", vec![Action::ToggleHelp]),
            ("problems", vec![Action::Problems]),
            (
                "picker",
                vec![
                    Action::Enter,
                    Action::ToggleSelect,
                    Action::WordNext,
                    Action::Code,
                ],
            ),
            (
                "memo",
                vec![
                    Action::Enter,
                    Action::ToggleSelect,
                    Action::WordNext,
                    Action::Code,
                    Action::Enter,
                ],
            ),
            ("prompt", vec![Action::Show(ViewId::Codes), Action::AddCode]),
            (
                "passages",
                vec![Action::Show(ViewId::Codes), Action::Down, Action::Enter],
            ),
            ("no selection", vec![Action::Enter, Action::Code]),
            (
                "evidence",
                vec![Action::Show(ViewId::Search), Action::Back, Action::Evidence],
            ),
        ];
        for (what, actions) in popups {
            let mut app = app(&p, lang, (140, 40));
            for a in actions {
                app.update(a);
            }
            check_language(&app, lang, what);
        }
        // Every page's help, too.
        for page in PAGES {
            let mut app = app(&p, lang, (140, 40));
            show(&mut app, page);
            app.update(Action::ToggleHelp);
            check_language(&app, lang, &format!("help of {page:?}"));
        }
    }
}

#[test]
fn the_evidence_prompt_in_both_languages_at_two_sizes() {
    let p = common::Project::shipped();
    p.expect(0, &["index", "--quiet"]);
    for lang in [Lang::Nl, Lang::En] {
        for size in [(80, 24), (140, 40)] {
            let mut app = app(&p, lang, size);
            app.update(Action::Show(ViewId::Search));
            app.update(Action::Back);
            app.update(Action::Evidence);
            for c in "docenten zorgen voor elkaar onder een hoge werkdruk".chars() {
                app.update(Action::Input(c));
            }
            app.update(Action::Enter);
            let searcher = app.ws.searcher().unwrap();
            app.run_evidence_now(&searcher);
            app.update(Action::ToggleFilter(visgraat::tui::action::Filter::Quotes));
            app.run_evidence_now(&searcher);
            let what = format!("evidence at {}x{}", size.0, size.1);
            check_language(&app, lang, &what);
            insta::assert_snapshot!(
                format!("evidence_{}_{}x{}", name(lang), size.0, size.1),
                screen(&app)
            );
        }
    }
}

#[test]
fn small_terminals_keep_the_tree_and_every_filter_on_screen() {
    let p = common::Project::shipped();
    p.expect(0, &["index", "--quiet"]);
    for size in [(80, 24), (60, 20)] {
        let mut app = app(&p, Lang::Nl, size);
        let s = screen(&app);
        assert!(s.contains("Bronnen"), "the tree at {size:?}:\n{s}");
        // Enter opens what is selected, and Tab goes back to the tree, which shows.
        app.update(Action::Enter);
        let s = screen(&app);
        assert!(s.contains("Intermezzo"), "the reader at {size:?}:\n{s}");
        app.update(Action::NextPane);
        assert!(screen(&app).contains("Bronnen"));

        let mut app = app_with_case_filter(&p, size);
        app.update(Action::Show(ViewId::Search));
        let s = screen(&app);
        for key in ["F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9"] {
            assert!(s.contains(key), "{key} at {size:?}:\n{s}");
        }
    }
    // A case filter's long value used to push F7–F9 off a 160-column bar.
    let mut app = app_with_case_filter(&p, (160, 40));
    app.update(Action::Show(ViewId::Search));
    let s = screen(&app);
    assert!(s.contains("F9"), "{s}");
}

fn app_with_case_filter(p: &common::Project, size: (u16, u16)) -> App {
    let mut app = app(p, Lang::Nl, size);
    app.update(Action::ToggleFilter(visgraat::tui::action::Filter::Case));
    app.update(Action::ToggleFilter(visgraat::tui::action::Filter::Speaker));
    app.effects.clear();
    app
}
