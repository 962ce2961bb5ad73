//! Word (.docx) citations for report writers: the blocks of the citations document as
//! headings (Heading 1–3), quotes (Quote style) and plain paragraphs, in a minimal
//! WordprocessingML package that Word, LibreOffice and Google Docs open.

use std::io::Write as _;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use super::report::Block;
use crate::error::{Error, Result};

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>"#;

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

/// The document's relationships: its styles, and its picture when it has one.
fn document_rels(picture: bool) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>{}</Relationships>"#,
        if picture {
            r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/fishbone.png"/>"#
        } else {
            ""
        }
    )
}

/// A picture at the top of the document: the PNG's bytes and its size in pixels.
pub struct Picture<'a> {
    pub png: &'a [u8],
    pub width: f64,
    pub height: f64,
    /// Its alternative text (what it shows), for screen readers.
    pub description: &'a str,
}

/// English Metric Units per centimetre; the picture spans the text width of an A4 page.
const EMU_PER_CM: f64 = 360_000.0;
const TEXT_WIDTH_CM: f64 = 16.0;

/// The `w:p` holding `picture` inline (DrawingML), its image the part behind `rId2`.
fn picture_paragraph(picture: &Picture) -> String {
    let cx = (TEXT_WIDTH_CM * EMU_PER_CM).round() as u64;
    let cy = (TEXT_WIDTH_CM * EMU_PER_CM * picture.height / picture.width.max(1.0)).round() as u64;
    let description = quick_xml::escape::escape(picture.description);
    format!(
        r#"<w:p><w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="1" name="Visgraat" descr="{description}"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="fishbone.png" descr="{description}"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="rId2"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"#
    )
}

const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:pPr><w:spacing w:after="120"/></w:pPr></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:keepNext/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="36"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:pPr><w:keepNext/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:sz w:val="30"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading3"><w:name w:val="heading 3"/><w:basedOn w:val="Normal"/><w:pPr><w:keepNext/><w:outlineLvl w:val="2"/></w:pPr><w:rPr><w:b/><w:sz w:val="26"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Quote"><w:name w:val="Quote"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:left="567" w:right="567"/></w:pPr><w:rPr><w:i/></w:rPr></w:style></w:styles>"#;

/// One paragraph in `style` (None: Normal), its text in one run (italic when asked).
fn paragraph(
    w: &mut Writer<Vec<u8>>,
    style: Option<&str>,
    text: &str,
    italic: bool,
) -> std::io::Result<()> {
    w.write_event(Event::Start(BytesStart::new("w:p")))?;
    if let Some(style) = style {
        w.write_event(Event::Start(BytesStart::new("w:pPr")))?;
        let mut s = BytesStart::new("w:pStyle");
        s.push_attribute(("w:val", style));
        w.write_event(Event::Empty(s))?;
        w.write_event(Event::End(BytesEnd::new("w:pPr")))?;
    }
    w.write_event(Event::Start(BytesStart::new("w:r")))?;
    if italic {
        w.write_event(Event::Start(BytesStart::new("w:rPr")))?;
        w.write_event(Event::Empty(BytesStart::new("w:i")))?;
        w.write_event(Event::End(BytesEnd::new("w:rPr")))?;
    }
    // Line breaks inside a paragraph (a quote over several lines) become w:br.
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            w.write_event(Event::Empty(BytesStart::new("w:br")))?;
        }
        let mut t = BytesStart::new("w:t");
        t.push_attribute(("xml:space", "preserve"));
        w.write_event(Event::Start(t))?;
        w.write_event(Event::Text(BytesText::new(line)))?;
        w.write_event(Event::End(BytesEnd::new("w:t")))?;
    }
    w.write_event(Event::End(BytesEnd::new("w:r")))?;
    w.write_event(Event::End(BytesEnd::new("w:p")))
}

/// `word/document.xml` for the blocks, with `picture` at the top when there is one.
pub fn document(blocks: &[Block], picture: Option<&Picture>) -> std::io::Result<String> {
    let mut w = Writer::new(Vec::new());
    w.write_event(Event::Decl(BytesDecl::new(
        "1.0",
        Some("UTF-8"),
        Some("yes"),
    )))?;
    let mut doc = BytesStart::new("w:document");
    for (prefix, ns) in [
        (
            "xmlns:w",
            "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        ),
        (
            "xmlns:wp",
            "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
        ),
        (
            "xmlns:a",
            "http://schemas.openxmlformats.org/drawingml/2006/main",
        ),
        (
            "xmlns:pic",
            "http://schemas.openxmlformats.org/drawingml/2006/picture",
        ),
        (
            "xmlns:r",
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
        ),
    ] {
        doc.push_attribute((prefix, ns));
    }
    w.write_event(Event::Start(doc))?;
    w.write_event(Event::Start(BytesStart::new("w:body")))?;
    if let Some(picture) = picture {
        w.get_mut()
            .write_all(picture_paragraph(picture).as_bytes())?;
    }
    for block in blocks {
        match block {
            Block::Title(t) => paragraph(&mut w, Some("Heading1"), t, false)?,
            Block::Section(h) => paragraph(&mut w, Some("Heading2"), h, false)?,
            Block::Code { label, definition } => {
                paragraph(&mut w, Some("Heading3"), label, false)?;
                if !definition.is_empty() {
                    paragraph(&mut w, None, definition, true)?;
                }
            }
            Block::Citation {
                quote,
                source,
                details,
            } => {
                paragraph(&mut w, Some("Quote"), quote, false)?;
                paragraph(&mut w, None, &format!("— {source}"), false)?;
                for d in details {
                    paragraph(&mut w, None, d, false)?;
                }
            }
            Block::Empty(text) => paragraph(&mut w, None, text, false)?,
        }
    }
    w.write_event(Event::End(BytesEnd::new("w:body")))?;
    w.write_event(Event::End(BytesEnd::new("w:document")))?;
    String::from_utf8(w.into_inner()).map_err(std::io::Error::other)
}

/// Write the blocks as a .docx file at `path` (atomically), `picture` at its top.
pub fn write(blocks: &[Block], picture: Option<&Picture>, path: &std::path::Path) -> Result<()> {
    let xml = document(blocks, picture).map_err(|e| Error::io(path, e))?;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    let fail = |e: zip::result::ZipError| Error::invalid(path, None, format!("zip: {e}"));
    for (name, content) in [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", RELS),
        (
            "word/_rels/document.xml.rels",
            document_rels(picture.is_some()).as_str(),
        ),
        ("word/styles.xml", STYLES),
        ("word/document.xml", xml.as_str()),
    ] {
        zip.start_file(name, options).map_err(fail)?;
        zip.write_all(content.as_bytes())
            .map_err(|e| Error::io(path, e))?;
    }
    if let Some(picture) = picture {
        zip.start_file("word/media/fishbone.png", options)
            .map_err(fail)?;
        zip.write_all(picture.png).map_err(|e| Error::io(path, e))?;
    }
    let bytes = zip.finish().map_err(fail)?.into_inner();
    crate::atomic::write(path, &bytes)
}
