//! The model the suggestions come from: tf-idf vectors over visgraat's Dutch terms, built
//! from the passages people coded. A passage is scored against every code either by the
//! code's centroid (the mean of its examples, NVivo's old pattern-based coding), by its
//! nearest coded neighbours, or by both; `suggest --evaluate` measures which is better. The
//! reasons fall out of the arithmetic: the terms whose products weigh most in the score, and
//! the examples nearest to the passage.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::terms;

/// How a passage is scored against a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// Cosine with the code's centroid.
    Centroid,
    /// Mean cosine with the code's nearest examples.
    Neighbours,
    /// The mean of the two.
    Blend,
}

impl Method {
    pub const ALL: [Method; 3] = [Method::Centroid, Method::Neighbours, Method::Blend];

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Centroid => "centroid",
            Method::Neighbours => "neighbours",
            Method::Blend => "blend",
        }
    }

    pub fn parse(s: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

/// A person's coding the model learns from, or a code's label and definition (`coder`
/// empty): what the code book says counts as evidence too, and it is all a code that nobody
/// has used yet has.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub coder: String,
    pub source: String,
    pub coding: String,
    pub code: String,
    pub text: String,
}

/// A sparse vector: term id → weight, L2-normalised.
type Vector = Vec<(u32, f32)>;

/// How many nearest examples a code's neighbour score averages (and reasons name).
const NEIGHBOURS: usize = 3;
/// How many terms a reason names.
const REASON_TERMS: usize = 5;

pub struct Model {
    pub method: Method,
    term_ids: HashMap<String, u32>,
    terms: Vec<String>,
    idf: Vec<f32>,
    /// idf of a term no document held.
    unseen_idf: f32,
    pub examples: Vec<Example>,
    vectors: Vec<Vector>,
    /// term id → (example, weight): the examples a passage shares a term with.
    postings: HashMap<u32, Vec<(u32, f32)>>,
    centroids: BTreeMap<String, Vector>,
    /// code → its examples (indices into `examples`).
    examples_of: HashMap<String, Vec<u32>>,
}

/// One code's score for a passage, with why.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    pub code: String,
    pub score: f64,
    /// Terms by their share of the score, heaviest first.
    pub terms: Vec<(String, f64)>,
    /// Indices into `Model::examples` of this code's nearest examples, with their cosine.
    pub like: Vec<(usize, f64)>,
}

impl Model {
    /// Learn from `examples`; `background` (the texts to be scored) also counts towards the
    /// document frequencies, so that a word every passage has weighs little.
    pub fn train(examples: Vec<Example>, background: &[&str], method: Method) -> Model {
        let mut term_ids: HashMap<String, u32> = HashMap::new();
        let mut terms_list: Vec<String> = Vec::new();
        let mut df: Vec<u32> = Vec::new();
        let mut bags: Vec<Vec<(u32, u32)>> = Vec::with_capacity(examples.len());
        let mut count_doc = |text: &str, keep: bool, bags: &mut Vec<Vec<(u32, u32)>>| {
            let counts = terms::counts(text);
            let mut bag: Vec<(u32, u32)> = Vec::with_capacity(counts.len());
            for (term, n) in counts {
                let id = *term_ids.entry(term.clone()).or_insert_with(|| {
                    terms_list.push(term);
                    df.push(0);
                    (terms_list.len() - 1) as u32
                });
                df[id as usize] += 1;
                bag.push((id, n));
            }
            if keep {
                bag.sort_unstable();
                bags.push(bag);
            }
        };
        for e in &examples {
            count_doc(&e.text, true, &mut bags);
        }
        for text in background {
            count_doc(text, false, &mut bags);
        }
        let docs = (examples.len() + background.len()) as f32;
        let idf: Vec<f32> = df
            .iter()
            .map(|&d| ((docs + 1.0) / (d as f32 + 1.0)).ln() + 1.0)
            .collect();
        let unseen_idf = (docs + 1.0).ln() + 1.0;
        let vectors: Vec<Vector> = bags
            .iter()
            .map(|bag| {
                normalised(
                    bag.iter()
                        .map(|&(id, n)| (id, tf(n) * idf[id as usize]))
                        .collect(),
                )
            })
            .collect();
        let mut postings: HashMap<u32, Vec<(u32, f32)>> = HashMap::new();
        for (i, v) in vectors.iter().enumerate() {
            for &(id, w) in v {
                postings.entry(id).or_default().push((i as u32, w));
            }
        }
        let mut sums: BTreeMap<String, HashMap<u32, f32>> = BTreeMap::new();
        for (e, v) in examples.iter().zip(&vectors) {
            let sum = sums.entry(e.code.clone()).or_default();
            for &(id, w) in v {
                *sum.entry(id).or_insert(0.0) += w;
            }
        }
        let mut examples_of: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, e) in examples.iter().enumerate() {
            examples_of
                .entry(e.code.clone())
                .or_default()
                .push(i as u32);
        }
        let centroids = sums
            .into_iter()
            .map(|(code, sum)| {
                let mut v: Vector = sum.into_iter().collect();
                v.sort_unstable_by_key(|&(id, _)| id);
                (code, normalised(v))
            })
            .collect();
        Model {
            method,
            term_ids,
            terms: terms_list,
            idf,
            unseen_idf,
            examples,
            vectors,
            postings,
            centroids,
            examples_of,
        }
    }

    /// The passage's vector; terms the model never saw are left out (they match nothing).
    fn vector(&self, text: &str) -> Vector {
        let counts = terms::counts(text);
        let total: Vec<(u32, f32)> = counts
            .iter()
            .filter_map(|(t, &n)| {
                let id = *self.term_ids.get(t)?;
                Some((id, tf(n) * self.idf[id as usize]))
            })
            .collect();
        // Unseen terms still lengthen the passage: a long passage that shares one word is
        // less alike than a short one.
        let unseen: f32 = counts
            .iter()
            .filter(|(t, _)| !self.term_ids.contains_key(*t))
            .map(|(_, &n)| (tf(n) * self.unseen_idf).powi(2))
            .sum();
        let norm = (total.iter().map(|(_, w)| w * w).sum::<f32>() + unseen).sqrt();
        let mut v: Vector = total
            .into_iter()
            .map(|(id, w)| (id, if norm > 0.0 { w / norm } else { 0.0 }))
            .collect();
        v.sort_unstable_by_key(|&(id, _)| id);
        v
    }

    /// Every code's score for `text`, best first (codes with a score of 0 left out). With
    /// the centroid method `like` is left empty: finding the nearest examples of every code
    /// costs more than the scores, and only the suggested code needs them (`nearest`).
    pub fn rank(&self, text: &str) -> Vec<Scored> {
        let v = self.vector(text);
        if v.is_empty() {
            return Vec::new();
        }
        let near_by_code = (self.method != Method::Centroid).then(|| self.all_nearest(&v));
        let mut out: Vec<Scored> = Vec::new();
        for (code, centroid) in &self.centroids {
            let mut near = near_by_code
                .as_ref()
                .and_then(|n| n.get(code.as_str()).cloned())
                .unwrap_or_default();
            let neighbour_score = near.iter().map(|(_, c)| c).sum::<f64>() / NEIGHBOURS as f64;
            // The reasons name people's codings, not the code book's text.
            near.retain(|(e, _)| !self.examples[*e].coder.is_empty());
            let products = products(&v, centroid);
            let centroid_score: f64 = products.iter().map(|(_, p)| f64::from(*p)).sum();
            let score = match self.method {
                Method::Centroid => centroid_score,
                Method::Neighbours => neighbour_score,
                Method::Blend => (centroid_score + neighbour_score) / 2.0,
            };
            let mut weighed: Vec<(String, f64)> = products
                .into_iter()
                .map(|(id, p)| (self.terms[id as usize].clone(), f64::from(p)))
                .collect();
            weighed.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            weighed.truncate(REASON_TERMS);
            out.push(Scored {
                code: code.to_string(),
                score,
                terms: weighed,
                like: near,
            });
        }
        out.retain(|s| s.score > 0.0);
        out.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.code.cmp(&b.code))
        });
        out
    }

    /// Each code's nearest examples to the passage vector `v` (the code book's text among
    /// them), best first, at most `NEIGHBOURS`.
    fn all_nearest(&self, v: &Vector) -> HashMap<&str, Vec<(usize, f64)>> {
        // Cosine with every example that shares a term (the rest are 0).
        let mut cosines = vec![0f32; self.vectors.len()];
        let mut touched: Vec<u32> = Vec::new();
        for &(id, w) in v {
            if let Some(list) = self.postings.get(&id) {
                for &(e, ew) in list {
                    if cosines[e as usize] == 0.0 {
                        touched.push(e);
                    }
                    cosines[e as usize] += w * ew;
                }
            }
        }
        let mut by_code: HashMap<&str, Vec<(usize, f64)>> = HashMap::new();
        for e in touched {
            by_code
                .entry(self.examples[e as usize].code.as_str())
                .or_default()
                .push((e as usize, f64::from(cosines[e as usize])));
        }
        for near in by_code.values_mut() {
            near.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            near.truncate(NEIGHBOURS);
        }
        by_code
    }

    /// The people's codings of `code` nearest to `text` (indices into `examples`, with
    /// their cosine), best first, at most `NEIGHBOURS`: the reasons of a suggestion.
    pub fn nearest(&self, text: &str, code: &str) -> Vec<(usize, f64)> {
        let v = self.vector(text);
        let mut near: Vec<(usize, f64)> = self
            .examples_of
            .get(code)
            .into_iter()
            .flatten()
            .map(|&e| e as usize)
            .filter(|&e| !self.examples[e].coder.is_empty())
            .map(|e| {
                let dot: f32 = products(&v, &self.vectors[e]).iter().map(|(_, p)| p).sum();
                (e, f64::from(dot))
            })
            .filter(|(_, c)| *c > 0.0)
            .collect();
        near.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        near.truncate(NEIGHBOURS);
        near
    }
}

/// Sublinear term frequency: the tenth "werkdruk" adds less than the second.
fn tf(n: u32) -> f32 {
    1.0 + (n as f32).ln()
}

fn normalised(mut v: Vector) -> Vector {
    let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        for (_, w) in &mut v {
            *w /= norm;
        }
    }
    v
}

/// The per-term products of two sorted sparse vectors (their dot product's parts).
fn products(a: &Vector, b: &Vector) -> Vec<(u32, f32)> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push((a[i].0, a[i].1 * b[j].1));
                i += 1;
                j += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(code: &str, text: &str) -> Example {
        Example {
            coder: "ana".into(),
            source: "synthetic".into(),
            coding: format!("c-{code}"),
            code: code.into(),
            text: text.into(),
        }
    }

    #[test]
    fn the_nearer_code_wins_and_says_why() {
        let examples = vec![
            example(
                "werkdruk",
                "De werkdruk van docenten is hoog, te veel taken.",
            ),
            example(
                "werkdruk",
                "Docenten hebben te weinig tijd voor al die taken.",
            ),
            example(
                "zorg",
                "De zorgcoördinator is snel bereikbaar voor de student.",
            ),
        ];
        for method in Method::ALL {
            let model = Model::train(examples.clone(), &[], method);
            let ranked = model.rank("Onze docenten ervaren een hoge werkdruk.");
            assert_eq!(ranked[0].code, "werkdruk", "{method:?}");
            let terms: Vec<&str> = ranked[0].terms.iter().map(|(t, _)| t.as_str()).collect();
            assert!(
                terms.contains(&"werkdruk") && terms.contains(&"docent"),
                "{terms:?}"
            );
            let near = model.nearest("Onze docenten ervaren een hoge werkdruk.", "werkdruk");
            assert_eq!(model.examples[near[0].0].coding, "c-werkdruk");
            assert!(model.rank("Een fiets in de regen.").is_empty());
        }
    }
}
