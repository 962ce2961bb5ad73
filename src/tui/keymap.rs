//! One keymap: the default bindings (keymap.toml, compiled in), overridden by the user's
//! config and then the project's (`[keys.<page>]` tables), looked up per page before the
//! global table. The help overlay and the status hints read the same map, so a remapped
//! key shows as remapped.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::{Action, InputMode, ViewId};
use super::app::App;
use super::popups::Popup;
use crate::error::{Error, Result};

const DEFAULTS: &str = include_str!("keymap.toml");

/// Where a key is looked up: a page, or a popup over it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Context {
    Global,
    Documents,
    Search,
    Fishbone,
    Codes,
    Matrix,
    Review,
    Saturation,
    Passages,
    Problems,
    Evidence,
}

impl Context {
    pub const ALL: [Context; 11] = [
        Context::Global,
        Context::Documents,
        Context::Search,
        Context::Fishbone,
        Context::Codes,
        Context::Matrix,
        Context::Review,
        Context::Saturation,
        Context::Passages,
        Context::Problems,
        Context::Evidence,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::Documents => "documents",
            Context::Search => "search",
            Context::Fishbone => "fishbone",
            Context::Codes => "codes",
            Context::Matrix => "matrix",
            Context::Review => "review",
            Context::Saturation => "saturation",
            Context::Passages => "passages",
            Context::Problems => "problems",
            Context::Evidence => "evidence",
        }
    }

    fn parse(name: &str) -> Option<Context> {
        Context::ALL.into_iter().find(|c| c.name() == name)
    }

    pub fn of_view(view: ViewId) -> Context {
        match view {
            ViewId::Documents => Context::Documents,
            ViewId::Search => Context::Search,
            ViewId::Fishbone => Context::Fishbone,
            ViewId::Codes => Context::Codes,
            ViewId::Matrix => Context::Matrix,
            ViewId::Review => Context::Review,
            ViewId::Saturation => Context::Saturation,
        }
    }

    /// The context of what has the keyboard in `app`.
    pub fn of(app: &App) -> Context {
        match &app.popup {
            Some(Popup::Passages { .. }) => Context::Passages,
            Some(Popup::Problems { .. }) => Context::Problems,
            Some(Popup::Evidence(state)) if !state.editing => Context::Evidence,
            // Text fields: only the global table's non-character keys apply.
            Some(_) => Context::Global,
            None => Context::of_view(app.view),
        }
    }
}

/// A key as the keymap names it: a code and whether Ctrl is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Key {
    code: KeyCodeOrd,
    ctrl: bool,
}

/// `KeyCode` with the order a BTreeMap needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum KeyCodeOrd {
    Char(char),
    F(u8),
    Named(u8),
}

const NAMED: [(&str, KeyCode, &str); 13] = [
    ("enter", KeyCode::Enter, "Enter"),
    ("esc", KeyCode::Esc, "Esc"),
    ("tab", KeyCode::Tab, "Tab"),
    ("backspace", KeyCode::Backspace, "⌫"),
    ("up", KeyCode::Up, "↑"),
    ("down", KeyCode::Down, "↓"),
    ("left", KeyCode::Left, "←"),
    ("right", KeyCode::Right, "→"),
    ("pageup", KeyCode::PageUp, "PgUp"),
    ("pagedown", KeyCode::PageDown, "PgDn"),
    ("home", KeyCode::Home, "Home"),
    ("end", KeyCode::End, "End"),
    ("space", KeyCode::Char(' '), "Space"),
];

impl Key {
    /// A key by its name in a config: names are not case-sensitive ("F12", "Enter",
    /// "Ctrl-R" as "f12", "enter", "ctrl-r"), a single character is ("G" is shift-g).
    pub fn parse(name: &str) -> Option<Key> {
        let (ctrl, rest) = match name.get(..5) {
            Some(prefix) if prefix.eq_ignore_ascii_case("ctrl-") && name.len() > 5 => {
                (true, &name[5..])
            }
            _ => (false, name),
        };
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            // The terminal reports a control key's letter in lower case (`of_event`).
            (Some(c), None) if ctrl => KeyCodeOrd::Char(c.to_ascii_lowercase()),
            (Some(c), None) => KeyCodeOrd::Char(c),
            _ => {
                let rest = rest.to_ascii_lowercase();
                if let Some(n) = rest.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
                    (1..=12).contains(&n).then_some(KeyCodeOrd::F(n))?
                } else {
                    let at = NAMED.iter().position(|(n, ..)| *n == rest)?;
                    if at == NAMED.len() - 1 {
                        KeyCodeOrd::Char(' ')
                    } else {
                        KeyCodeOrd::Named(at as u8)
                    }
                }
            }
        };
        Some(Key { code, ctrl })
    }

    fn of_event(key: &KeyEvent) -> Option<Key> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let code = match key.code {
            KeyCode::Char(c) => KeyCodeOrd::Char(if ctrl { c.to_ascii_lowercase() } else { c }),
            KeyCode::F(n) => KeyCodeOrd::F(n),
            KeyCode::BackTab => KeyCodeOrd::Named(2),
            other => KeyCodeOrd::Named(NAMED.iter().position(|(_, c, _)| *c == other)? as u8),
        };
        Some(Key { code, ctrl })
    }

    /// The order keys are shown in: plain characters, named keys, function keys, Ctrl.
    pub fn rank(&self) -> u8 {
        match (self.ctrl, self.code) {
            (true, _) => 3,
            (false, KeyCodeOrd::Char(_)) => 0,
            (false, KeyCodeOrd::Named(_)) => 1,
            (false, KeyCodeOrd::F(_)) => 2,
        }
    }

    /// Whether the key types a character in a text field.
    fn is_text(&self) -> bool {
        matches!(self.code, KeyCodeOrd::Char(_)) && !self.ctrl
    }

    /// How the key is shown in the help and status line.
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCodeOrd::Char(' ') => "Space".to_string(),
            KeyCodeOrd::Char(c) => c.to_string(),
            KeyCodeOrd::F(n) => format!("F{n}"),
            KeyCodeOrd::Named(i) => NAMED[i as usize].2.to_string(),
        };
        if self.ctrl {
            format!("Ctrl-{base}")
        } else {
            base
        }
    }
}

#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: BTreeMap<Context, BTreeMap<Key, Action>>,
    /// The bindings a user's or project's config set (the help lists them on their own).
    custom: Vec<(Context, Key)>,
    /// Whether the mouse is captured (`mouse = false` leaves text selection to the terminal).
    pub mouse: bool,
}

impl Default for Keymap {
    fn default() -> Keymap {
        let mut map = Keymap {
            bindings: BTreeMap::new(),
            custom: Vec::new(),
            mouse: true,
        };
        map.overlay(Path::new("keymap.toml (built in)"), DEFAULTS)
            .expect("the built-in keymap is valid");
        map.custom.clear();
        map
    }
}

impl Keymap {
    /// The defaults, then the user's config, then the project's: each may rebind keys.
    pub fn load(project_config: &Path) -> Result<Keymap> {
        let mut map = Keymap::default();
        for path in [user_config_path(), Some(project_config.to_path_buf())]
            .into_iter()
            .flatten()
        {
            if let Some(text) = crate::text_file::read_optional(&path)? {
                map.overlay(&path, &text)?;
            }
        }
        Ok(map)
    }

    /// Apply the `[keys.*]` tables and `mouse` of the TOML `text` (from `path`).
    pub fn overlay(&mut self, path: &Path, text: &str) -> Result<()> {
        let table: toml::Table = toml::from_str(text).map_err(|e| Error::toml(path, text, &e))?;
        if let Some(mouse) = table.get("mouse") {
            self.mouse = mouse.as_bool().ok_or_else(|| {
                Error::invalid(path, line_of(text, "mouse"), "mouse: use true or false")
            })?;
        }
        let Some(keys) = table.get("keys") else {
            return Ok(());
        };
        let keys = keys
            .as_table()
            .ok_or_else(|| Error::invalid(path, line_of(text, "keys"), "keys: expected a table"))?;
        for (page, bindings) in keys {
            let context = Context::parse(page).ok_or_else(|| {
                let names: Vec<&str> = Context::ALL.iter().map(|c| c.name()).collect();
                Error::invalid(
                    path,
                    line_of(text, &format!("keys.{page}")),
                    format!(
                        "unknown page [keys.{page}]: use one of {}",
                        names.join(", ")
                    ),
                )
            })?;
            let bindings = bindings.as_table().ok_or_else(|| {
                Error::invalid(
                    path,
                    line_of(text, page),
                    format!("keys.{page}: expected a table"),
                )
            })?;
            for (name, action) in bindings {
                let line = line_of(text, name);
                let key = Key::parse(name).ok_or_else(|| {
                    Error::invalid(
                        path,
                        line,
                        format!("unknown key {name:?}: use a character, ctrl-x, enter, esc, tab, backspace, up, down, left, right, pageup, pagedown, home, end or f1…f12"),
                    )
                })?;
                let action: Action = action.clone().try_into().map_err(|e: toml::de::Error| {
                    Error::invalid(
                        path,
                        line,
                        format!("key {name:?}: unknown action: {}", e.message()),
                    )
                })?;
                let old = self
                    .bindings
                    .entry(context)
                    .or_default()
                    .insert(key, action.clone());
                if old.as_ref() != Some(&action) {
                    self.custom.push((context, key));
                }
            }
        }
        Ok(())
    }

    /// The action of `key` in `context`, falling back to the global table; in a text field
    /// characters are typed, not looked up, and Ctrl-U clears the field (as in a shell;
    /// elsewhere it is page up).
    pub fn action(&self, key: &KeyEvent, context: Context, mode: InputMode) -> Option<Action> {
        let k = Key::of_event(key)?;
        if mode == InputMode::Text
            && k.is_text()
            && let KeyCodeOrd::Char(c) = k.code
        {
            return Some(Action::Input(c));
        }
        if mode == InputMode::Text
            && key.code == KeyCode::Char('u')
            && key.modifiers.contains(KeyModifiers::CONTROL)
        {
            return Some(Action::ClearLine);
        }
        let lookup = |c: Context| self.bindings.get(&c).and_then(|m| m.get(&k)).cloned();
        if mode == InputMode::Text {
            return lookup(Context::Global);
        }
        lookup(context).or_else(|| lookup(Context::Global))
    }

    /// The keys bound to `action` in `context` (its own table, then the global one, where the
    /// page does not bind those keys to something else).
    pub fn keys_for(&self, context: Context, action: &Action) -> Vec<Key> {
        let own = self.bindings.get(&context);
        let mut keys: Vec<Key> = own
            .into_iter()
            .flatten()
            .filter(|(_, a)| *a == action)
            .map(|(k, _)| *k)
            .collect();
        if context != Context::Global {
            keys.extend(
                self.bindings
                    .get(&Context::Global)
                    .into_iter()
                    .flatten()
                    .filter(|(k, a)| *a == action && !own.is_some_and(|o| o.contains_key(k)))
                    .map(|(k, _)| *k),
            );
        }
        keys.sort_by_key(Key::rank);
        keys
    }

    /// The first key for `action` in `context`, as shown; "" when it has none.
    pub fn label(&self, context: Context, action: &Action) -> String {
        self.keys_for(context, action)
            .first()
            .map(Key::label)
            .unwrap_or_default()
    }

    /// The bindings of `context` that a config set, with their actions.
    pub fn custom(&self, context: Context) -> Vec<(Key, Action)> {
        self.custom
            .iter()
            .filter(|(c, _)| *c == context)
            .filter_map(|(c, k)| Some((*k, self.bindings.get(c)?.get(k)?.clone())))
            .collect()
    }

    /// Every (key, action) of a context's own table, in key order.
    pub fn bindings(&self, context: Context) -> impl Iterator<Item = (&Key, &Action)> {
        self.bindings.get(&context).into_iter().flatten()
    }
}

/// The user's own config file: `$XDG_CONFIG_HOME/visgraat/config.toml`, else
/// `~/.config/visgraat/config.toml`.
pub fn user_config_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("visgraat").join("config.toml"))
}

/// The 1-based line where `key` is set or its table starts (for error messages).
fn line_of(text: &str, key: &str) -> Option<usize> {
    let quoted = format!("\"{key}\"");
    text.lines()
        .position(|l| {
            let l = l.trim_start();
            let l = l.strip_prefix('[').unwrap_or(l);
            (l.starts_with(key) || l.starts_with(&quoted))
                && l[if l.starts_with(key) {
                    key.len()
                } else {
                    quoted.len()
                }..]
                    .trim_start()
                    .starts_with(['=', ']', '.'])
        })
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn pages_come_before_the_global_table() {
        let map = Keymap::default();
        let lt = key(KeyCode::Char('<'));
        assert_eq!(
            map.action(&lt, Context::Review, InputMode::Normal),
            Some(Action::SettleAsLeft)
        );
        assert_eq!(
            map.action(&lt, Context::Codes, InputMode::Normal),
            Some(Action::PrevLevel)
        );
        let q = key(KeyCode::Char('q'));
        assert_eq!(
            map.action(&q, Context::Codes, InputMode::Normal),
            Some(Action::Quit)
        );
        assert_eq!(
            map.action(&q, Context::Codes, InputMode::Text),
            Some(Action::Input('q'))
        );
        // Control keys in a text field: the global table, but Ctrl-U clears the field.
        let ctrl = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
        for (c, mode, want) in [
            ('r', InputMode::Text, Action::Redo),
            ('u', InputMode::Text, Action::ClearLine),
            ('u', InputMode::Normal, Action::PageUp),
        ] {
            assert_eq!(map.action(&ctrl(c), Context::Search, mode), Some(want));
        }
    }

    #[test]
    fn a_remap_replaces_the_default_and_shows() {
        let mut map = Keymap::default();
        map.overlay(
            Path::new("u.toml"),
            "mouse = false\n[keys.documents]\nz = \"code\"\nc = \"memo\"\n",
        )
        .unwrap();
        assert!(!map.mouse);
        let z = key(KeyCode::Char('z'));
        assert_eq!(
            map.action(&z, Context::Documents, InputMode::Normal),
            Some(Action::Code)
        );
        assert_eq!(map.label(Context::Documents, &Action::Code), "z");
        assert_eq!(map.custom(Context::Documents).len(), 2);
    }

    #[test]
    fn key_names_are_not_case_sensitive_but_characters_are() {
        assert_eq!(Key::parse("F12"), Key::parse("f12"));
        assert_eq!(Key::parse("Enter"), Key::parse("enter"));
        assert_eq!(Key::parse("PageDown"), Key::parse("pagedown"));
        assert_eq!(Key::parse("Ctrl-R"), Key::parse("ctrl-r"));
        assert!(Key::parse("F12").is_some() && Key::parse("F13").is_none());
        assert_ne!(Key::parse("G"), Key::parse("g"));
        // The README's example, as written there.
        let mut map = Keymap::default();
        map.overlay(
            Path::new("config.toml"),
            "[keys.global]\nF12 = { show = \"codes\" }\n",
        )
        .unwrap();
        let f12 = key(KeyCode::F(12));
        assert_eq!(
            map.action(&f12, Context::Documents, InputMode::Normal),
            Some(Action::Show(ViewId::Codes))
        );
    }

    #[test]
    fn bad_bindings_name_file_and_line() {
        let mut map = Keymap::default();
        let err = map
            .overlay(
                Path::new("u.toml"),
                "[keys.documents]\nc = \"code\"\nzz = \"code\"\n",
            )
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("u.toml:3") && err.contains("unknown key \"zz\""),
            "{err}"
        );
        let err = map
            .overlay(Path::new("u.toml"), "[keys.documents]\nc = \"cod\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("u.toml:2") && err.contains("unknown action"),
            "{err}"
        );
        let err = map
            .overlay(Path::new("u.toml"), "[keys.nowhere]\nc = \"code\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("u.toml:1") && err.contains("unknown page"),
            "{err}"
        );
    }
}
