//! Cases: the focus groups (Bijlage 2 of the report), their free attributes (any number:
//! `regio = "Zuid"`, `niveau = 2`, `start = 2024-03-14`), their own fishbone sheet, and the
//! passages the text ties to them.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Case {
    pub id: String,
    pub label: String,
    /// Every other plain key of the case's table, in the file's order. The monitor's cases
    /// have team, institution, level and sector; a project may have any others.
    #[serde(flatten)]
    pub attributes: Attributes,
    /// The factor codes this team put on its own fishbone diagram.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fishbone: Option<FishboneSheet>,
    /// Passages the text attributes to this case.
    #[serde(rename = "passage", skip_serializing_if = "Vec::is_empty")]
    pub passages: Vec<CasePassage>,
}

/// A case's attributes: name → value, in the order they were written.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Attributes(pub Vec<(String, AttrValue)>);

/// An attribute's value: text, a number or a date (TOML's own types, so the file stays
/// plain TOML and numbers sort and compare as numbers).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum AttrValue {
    Text(String),
    Integer(i64),
    Float(f64),
    Date(toml::value::Datetime),
}

impl std::fmt::Display for AttrValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AttrValue::Text(s) => f.write_str(s),
            AttrValue::Integer(n) => write!(f, "{n}"),
            AttrValue::Float(x) => write!(f, "{x}"),
            AttrValue::Date(d) => write!(f, "{d}"),
        }
    }
}

impl AttrValue {
    /// A value typed on the command line: a whole number, a decimal number, a date
    /// (2024-03-14) or else text; "quoted" is always text (`--attr niveau='"2"'`).
    pub fn parse(text: &str) -> AttrValue {
        let text = text.trim();
        if let Some(inner) = text
            .strip_prefix('"')
            .and_then(|t| t.strip_suffix('"'))
            .filter(|_| text.len() >= 2)
        {
            return AttrValue::Text(inner.to_string());
        }
        if let Ok(n) = text.parse::<i64>() {
            return AttrValue::Integer(n);
        }
        if text.contains('.')
            && let Ok(x) = text.parse::<f64>()
            && x.is_finite()
        {
            return AttrValue::Float(x);
        }
        if text.len() >= 10
            && text.as_bytes()[4] == b'-'
            && let Ok(d) = text.parse::<toml::value::Datetime>()
        {
            return AttrValue::Date(d);
        }
        AttrValue::Text(text.to_string())
    }

    /// The TOML type's name, for JSON output and messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            AttrValue::Text(_) => "text",
            AttrValue::Integer(_) | AttrValue::Float(_) => "number",
            AttrValue::Date(_) => "date",
        }
    }

    fn from_toml(value: toml::Value) -> Option<AttrValue> {
        Some(match value {
            toml::Value::String(s) => AttrValue::Text(s),
            toml::Value::Integer(n) => AttrValue::Integer(n),
            toml::Value::Float(x) => AttrValue::Float(x),
            toml::Value::Datetime(d) => AttrValue::Date(d),
            toml::Value::Boolean(b) => AttrValue::Text(b.to_string()),
            toml::Value::Array(_) | toml::Value::Table(_) => return None,
        })
    }

    /// The value as `toml_edit` writes it (for edits that keep the file's layout).
    pub fn to_edit(&self) -> toml_edit::Value {
        match self {
            AttrValue::Text(s) => s.as_str().into(),
            AttrValue::Integer(n) => (*n).into(),
            AttrValue::Float(x) => (*x).into(),
            AttrValue::Date(d) => d
                .to_string()
                .parse::<toml_edit::Datetime>()
                .map_or_else(|_| d.to_string().into(), toml_edit::Value::from),
        }
    }
}

impl Attributes {
    pub fn get(&self, name: &str) -> Option<&AttrValue> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// The value as text, empty when the case has no such attribute.
    pub fn text(&self, name: &str) -> String {
        self.get(name).map_or(String::new(), ToString::to_string)
    }

    pub fn set(&mut self, name: &str, value: AttrValue) {
        match self.0.iter_mut().find(|(k, _)| k == name) {
            Some((_, v)) => *v = value,
            None => self.0.push((name.to_string(), value)),
        }
    }

    pub fn remove(&mut self, name: &str) -> Option<AttrValue> {
        let at = self.0.iter().position(|(k, _)| k == name)?;
        Some(self.0.remove(at).1)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &AttrValue)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for Attributes {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// A case as written: the known keys, and everything else as its attributes.
#[derive(Deserialize)]
struct CaseEntry {
    id: String,
    label: String,
    #[serde(default)]
    fishbone: Option<FishboneSheet>,
    #[serde(default, rename = "passage")]
    passages: Vec<CasePassage>,
    #[serde(flatten)]
    rest: toml::Table,
}

/// Names a case cannot use for an attribute: the keys the case itself has.
pub const RESERVED: [&str; 4] = ["id", "label", "fishbone", "passage"];

impl<'de> Deserialize<'de> for Case {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Case, D::Error> {
        let entry = CaseEntry::deserialize(d)?;
        let mut attributes = Attributes::default();
        for (name, value) in entry.rest {
            let value = AttrValue::from_toml(value).ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "case {:?}: attribute {name:?} must be text, a number or a date",
                    entry.id
                ))
            })?;
            attributes.0.push((name, value));
        }
        Ok(Case {
            id: entry.id,
            label: entry.label,
            attributes,
            fishbone: entry.fishbone,
            passages: entry.passages,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FishboneSheet {
    pub codes: Vec<String>,
    #[serde(default)]
    pub note: String,
}

/// A passage tied to a case: the segment of `source` that contains `quote`, with the reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CasePassage {
    pub source: String,
    pub quote: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cases {
    #[serde(default, rename = "case")]
    pub cases: Vec<Case>,
}

impl Cases {
    /// Read cases.toml; a missing file is no cases.
    pub fn load(path: &Path) -> Result<Cases> {
        let Some(text) = crate::text_file::read_optional(path)? else {
            return Ok(Cases::default());
        };
        Cases::parse(path, &text)
    }

    pub fn parse(path: &Path, text: &str) -> Result<Cases> {
        if let Some(e) = crate::text_file::merge_conflict(path, text) {
            return Err(e);
        }
        let cases: Cases = toml::from_str(text).map_err(|e| Error::toml(path, text, &e))?;
        for (i, case) in cases.cases.iter().enumerate() {
            if cases.cases[..i].iter().any(|c| c.id == case.id) {
                return Err(Error::invalid(
                    path,
                    line_of_id(text, &case.id, 2),
                    format!("duplicate case id {:?}", case.id),
                ));
            }
        }
        Ok(cases)
    }

    pub fn get(&self, id: &str) -> Option<&Case> {
        self.cases.iter().find(|c| c.id == id)
    }

    /// Every attribute name any case has, in the order first met.
    pub fn attribute_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for (name, _) in self.cases.iter().flat_map(|c| c.attributes.iter()) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
        names
    }
}

/// The line of the `nth` `id = "ID"` in `text`.
fn line_of_id(text: &str, id: &str, nth: usize) -> Option<usize> {
    let wanted = format!("id = {}", toml_edit::Value::from(id));
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.trim() == wanted)
        .nth(nth - 1)
        .map(|(i, _)| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_attributes_load_in_order_with_their_types_and_write_back() {
        let text = "# synthetic\n[[case]]\nid = \"fg-zuid\"\nlabel = \"Focusgroep Zuid\"\nregio = \"Zuid\"\nniveau = 2\naandeel = 0.5\nstart = 2024-03-14\n\n[case.fishbone]\ncodes = [\"team-a\"]\n";
        let cases = Cases::parse(Path::new("cases.toml"), text).unwrap();
        let case = &cases.cases[0];
        let names: Vec<&str> = case.attributes.iter().map(|(k, _)| k).collect();
        assert_eq!(names, ["regio", "niveau", "aandeel", "start"]);
        assert_eq!(case.attributes.get("niveau"), Some(&AttrValue::Integer(2)));
        assert_eq!(case.attributes.text("start"), "2024-03-14");
        assert_eq!(case.fishbone.as_ref().unwrap().codes, ["team-a"]);
        let again = toml::to_string(&cases).unwrap();
        assert_eq!(Cases::parse(Path::new("x"), &again).unwrap(), cases);
    }

    #[test]
    fn values_typed_on_the_command_line_get_their_type() {
        assert_eq!(AttrValue::parse("2"), AttrValue::Integer(2));
        assert_eq!(AttrValue::parse("2.5"), AttrValue::Float(2.5));
        assert_eq!(AttrValue::parse("2024-03-14").type_name(), "date");
        assert_eq!(AttrValue::parse("Zuid"), AttrValue::Text("Zuid".into()));
        assert_eq!(AttrValue::parse("\"2\""), AttrValue::Text("2".into()));
        assert_eq!(AttrValue::parse("2024-3"), AttrValue::Text("2024-3".into()));
    }

    #[test]
    fn a_duplicate_id_names_its_line_and_a_table_attribute_is_refused() {
        let text = "[[case]]\nid = \"a\"\nlabel = \"A\"\n\n[[case]]\nid = \"a\"\nlabel = \"B\"\n";
        let err = Cases::parse(Path::new("cases.toml"), text).unwrap_err();
        assert!(
            err.to_string().starts_with("cases.toml:6: duplicate"),
            "{err}"
        );
        let text = "[[case]]\nid = \"a\"\nlabel = \"A\"\nregio = [1]\n";
        let err = Cases::parse(Path::new("cases.toml"), text).unwrap_err();
        assert!(
            err.to_string().contains("must be text, a number or a date"),
            "{err}"
        );
    }
}
