//! The shipped corpus: built from ../shared/seeds by the project's own import (byte for
//! byte), text repaired but verbatim, the nine intermezzos with reviewed boundaries.

mod common;

use common::{Project, repo_root};
use visgraat::corpus::Corpus;
use visgraat::corpus::source::SourceKind;

fn shipped() -> Corpus {
    let corpus = Corpus::load(&repo_root().join("corpus")).unwrap();
    assert!(corpus.problems.is_empty(), "{:?}", corpus.problems);
    corpus
}

#[test]
fn import_reproduces_the_shipped_corpus_byte_for_byte() {
    let seeds = repo_root().join("../shared/seeds");
    if !seeds.is_dir() {
        eprintln!("skipped: ../shared/seeds is not beside the repository");
        return;
    }
    let p = Project::shipped();
    let plan = repo_root().join("corpus/import/seeds.toml");
    let out = p.expect(
        0,
        &[
            "import-plan",
            plan.to_str().unwrap(),
            "--from",
            seeds.to_str().unwrap(),
            "--check",
        ],
    );
    assert!(out.contains("(0 would change)"), "{out}");
}

/// (id, first sentence, last sentence) of each intermezzo, read off the report.
const INTERMEZZOS: [(&str, &str, &str); 9] = [
    (
        "intermezzo-toelatingsrecht-en-bovenmatige-belasting",
        "Met de invoering van het toelatingsrecht – bij wijze van de Wet vroegtijdige aanmelddatum en toelatingsrecht tot het mbo – heeft iedere mbo-student per 1 augustus 2017 het recht toegelaten te worden tot de opleiding van voorkeur, mits ingeschreven op uiterlijk 1 april.",
        "Ondanks de wil om alle studenten de kans te geven om een opleiding naar keuze te volgen, zouden docenten ook enige vorm van selectie aan de poort mogelijk willen zien.",
    ),
    (
        "intermezzo-intake",
        "Verschillende onderwijsteams benadrukken de meerwaarde van een goede intake voor studenten.",
        "Hier lijkt mee te spelen dat teams niet altijd op de hoogte zijn van de (precieze) wettelijke mogelijkheden.[12]",
    ),
    (
        "intermezzo-definitie-passend-onderwijs",
        "Uit de gesprekken met diverse onderwijsteams bleek dat docenten niet altijd precies weten wat passend onderwijs inhoudt.",
        "In het team probeer je alle studenten te helpen, ongeacht ondersteuningsvraag.",
    ),
    (
        "intermezzo-wanneer-is-passend-onderwijs-geslaagd",
        "Tijdens gesprekken met verschillende onderwijsteams werd besproken wanneer zij passend onderwijs als geslaagd beschouwen en in hoeverre dit wordt gemeten aan de hand van meetbare uitkomstindicatoren.",
        "Hierdoor wordt het succes van passend onderwijs niet alleen beoordeeld op basis van harde cijfers, zoals vsv-cijfers, maar ook op basis van de ervaringen van studenten.",
    ),
    (
        "intermezzo-werkdruk-en-docentenwelzijn",
        "Onderwijsteams geven aan dat de werkdruk onder docenten hoog is en dat er weinig aandacht is voor hun welzijn.",
        "We zijn bezig met overleven en zorgen voor elkaar”.",
    ),
    (
        "intermezzo-ervaren-verzwaring-doelgroep",
        "Ook tijdens de gesprekken met de teams kwam vaak naar voren dat volgens de docenten steeds meer studenten een ondersteuningsbehoefte hebben, problemen ervaren op persoonlijk vlak of uit moeilijke thuissituaties komen.",
        "De stagnatie van de voortgang met de lesstof en het gebrek aan instructietijd leidt er soms toe dat deze studenten niet de tijd krijgen die ze nodig hebben, of juist te weinig worden uitgedaagd.",
    ),
    (
        "intermezzo-expertise-en-interne-samenwerking",
        "Waar onderwijsteams voor zichzelf verbetering zien is de aanwezige expertise binnen de teams, is in sommige teams te weinig kennis aanwezig om passend onderwijs uit te kunnen voeren.",
        "Hierin speelt overigens ook de AVG een rol; docenten weten soms niet goed óf informatie gedeeld mag worden met collega’s, en kiezen daardoor wellicht vaker voor de bekende – maar niet altijd optimale – weg voor advies.",
    ),
    (
        "intermezzo-tevredenheid-samenwerking-vanuit-de-onderwijsteams",
        "In gesprek met onderwijsteams blijkt dat de samenwerking met externe partijen – zoals leerplicht, doorstroompunten, derdelijnszorg en gemeenten, maar ook externen op de locatie van de school zelf, zoals sociaal-maatschappelijk werkers – zeer prettig kan zijn en bij kan dragen aan goede ondersteuning voor de student.",
        "Eén onderwijsteam gaf aan dat de sociaal-maatschappelijk werker een sociale kaart bijhield met alle contactpersonen van belangrijke samenwerkingspartners, wat als zeer prettig werd ervaren.",
    ),
    (
        "intermezzo-grenzen-in-passend-onderwijs",
        "Naast dat er vaak onduidelijkheid is over wat passend onderwijs precies inhoudt voor het team, hebben teams vaak ook vragen over de kaders en grenzen van passend onderwijs.",
        "“Samenwerking schuurt en alles wat we als school doen kost veel geld. Hoe ga je daarmee om?”.",
    ),
];

#[test]
fn nine_intermezzos_with_pinned_first_and_last_sentences() {
    let corpus = shipped();
    let intermezzos: Vec<_> = corpus
        .sources
        .iter()
        .filter(|s| s.meta.kind == SourceKind::Intermezzo)
        .collect();
    assert_eq!(intermezzos.len(), 9);
    for (id, first, last) in INTERMEZZOS {
        let src = corpus
            .source(id)
            .unwrap_or_else(|| panic!("no intermezzo {id}"));
        let segments: Vec<_> = src.segments().into_iter().filter(|s| !s.is_note).collect();
        assert!(
            segments[0].text.starts_with("Intermezzo:"),
            "{id} opens with its heading"
        );
        assert!(
            segments[1].text.starts_with(first),
            "{id} first sentence: {}",
            segments[1].text
        );
        let end = &segments.last().unwrap().text;
        assert!(end.ends_with(last), "{id} last sentence: {end}");
    }
}

#[test]
fn intermezzo_text_is_not_duplicated_in_the_report_sources() {
    let corpus = shipped();
    for (_, first, last) in INTERMEZZOS {
        let holders: Vec<&str> = corpus
            .sources
            .iter()
            .filter(|s| s.body.contains(first) || s.body.contains(last))
            .map(|s| s.meta.id.as_str())
            .collect();
        assert_eq!(holders.len(), 1, "{holders:?}");
    }
    // What follows an intermezzo in the PDF stays in its chapter.
    let ch5 = corpus
        .source("rapport-5-samenwerking-tussen-mbo-en-sociaal-domein")
        .unwrap();
    assert!(ch5.body.contains(
        "Samenwerking zou volgens een aantal gemeentelijke respondenten nog nauwer kunnen"
    ));
}

#[test]
fn hyphenation_is_repaired_and_real_hyphens_stay() {
    let corpus = shipped();
    let report: String = corpus
        .sources
        .iter()
        .filter(|s| matches!(s.meta.kind, SourceKind::Report | SourceKind::Intermezzo))
        .map(|s| s.body.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    for joined in [
        "de vier terreinen van de verbeteragenda",
        "focusgroepen gehouden",
        "tekort aan ondersteuningscapaciteit",
        "toegankelijkheid van het onderwijs",
        "differentiëren",
        "geboden kan blijven worden",
    ] {
        assert!(report.contains(joined), "missing repaired text {joined:?}");
    }
    for kept in [
        "mbo-instellingen",
        "mbo-studenten",
        "G4-gemeenten",
        "1-op-1",
        "zij-instromers",
        "sociaal-maatschappelijk",
        "pedagogisch-didactische",
        "mbo-instellingen of -locaties",
    ] {
        assert!(report.contains(kept), "real hyphen lost in {kept:?}");
    }
    for broken in [
        "ter-reinen",
        "ondersteu-ning",
        "differentieren",
        "  ",
        "\u{f0b7}",
        "|  1",
    ] {
        assert!(!report.contains(broken), "unrepaired {broken:?}");
    }
    // The report's own typos stay (verbatim): "dekkend aan van extra ondersteuning".
    assert!(report.contains("het realiseren van een dekkend aan van extra ondersteuning"));
}

#[test]
fn footnotes_move_to_notes_and_keep_their_markers() {
    let corpus = shipped();
    let intake = corpus.source("intermezzo-intake").unwrap();
    assert!(intake.body.contains(
        "wettelijke mogelijkheden.[12]\n\nNoten\n\n[12] Artikel 2.5.5a, lid 9 van de WEB"
    ));
    let ch4 = corpus
        .source("rapport-4-basisondersteuning-en-passend-onderwijs-in-de-klas")
        .unwrap();
    assert!(
        ch4.body.contains("Grote betrokkenheid[15] van slb’ers"),
        "a marker mid-sentence"
    );
    assert!(!ch4.body.contains("Het gaat hier over de rol van professionals in de uitvoering van passend onderwijs, niet om betrokkenheid in termen van engagement\n\nBrede"));
}

#[test]
fn quotes_have_voices_from_the_text() {
    let corpus = shipped();
    let all: Vec<_> = corpus.quotes.values().flatten().collect();
    let count = |v: &str| all.iter().filter(|q| q.voice.as_str() == v).count();
    assert_eq!(count("focusgroep"), 4);
    assert_eq!(count("student"), 6);
    assert_eq!(count("gemeente"), 1);
    assert_eq!(count("instelling"), 2);
    for q in &all {
        assert!(
            !q.evidence.is_empty(),
            "{} has no evidence for its voice",
            q.id
        );
    }
}

#[test]
fn codebook_has_the_fishbone_and_the_scenario_groups() {
    let corpus = shipped();
    let book = &corpus.codebook;
    assert_eq!(book.groups[0].id, "fishbone");
    assert!(book.groups.iter().any(|g| g.id == "teamcompetenties"));
    assert!(book.groups.iter().any(|g| g.id == "geslaagd"));
    for code in &book.codes {
        assert!(
            code.definition.len() > 40,
            "{} needs a real definition",
            code.id
        );
    }
}

#[test]
fn cases_are_the_five_focus_groups_of_bijlage_2() {
    let corpus = shipped();
    assert_eq!(corpus.cases.cases.len(), 5);
    let bijlage = corpus
        .source("rapport-bijlage-2-overzicht-onderwijsteams")
        .unwrap();
    for case in &corpus.cases.cases {
        assert!(
            bijlage.body.contains(&case.attributes.text("sector")),
            "{} not in Bijlage 2",
            case.attributes.text("sector")
        );
    }
}

#[test]
fn example_codings_are_verbatim_and_explained() {
    let p = Project::shipped();
    let out = p.expect(0, &["check"]);
    assert!(out.starts_with("ok:"), "{out}");
    let (codings, problems) = visgraat::coding::CodingSet::load(&repo_root().join("corpus"));
    assert!(problems.is_empty());
    let voorbeeld: Vec<_> = codings
        .codings
        .iter()
        .filter(|c| c.coder == "voorbeeld")
        .collect();
    assert!(voorbeeld.len() >= 40);
    let sources: std::collections::BTreeSet<_> =
        voorbeeld.iter().map(|c| c.source.as_str()).collect();
    assert_eq!(sources.len(), 9, "every intermezzo is coded");
    assert!(voorbeeld.iter().all(|c| c.coding.memo.len() > 20));
}
