//! Namespace scopes for the `.docx` reader: which of the namespaces the reader cares about
//! (WordprocessingML, Markup Compatibility, package relationships) an element's prefix is
//! bound to where it stands.
//!
//! quick-xml's `NsReader` resolves every element and walks every element's attributes looking
//! for declarations; in Word-style XML (a property element for every run, most of it skipped)
//! that was a tenth of the whole run. Here an element's attributes are parsed only when its raw
//! attribute bytes mention `xmlns`, and a name is resolved by comparing short prefixes.

use quick_xml::events::BytesStart;
use quick_xml::name::{PrefixDeclaration, QName};

/// The namespaces the reader distinguishes; every other one is `Other`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Ns {
    /// WordprocessingML, Transitional or Strict.
    Word,
    /// Markup Compatibility (`mc:AlternateContent`, `mc:Fallback`).
    Compat,
    /// Package relationships (`_rels/.rels`).
    Relationships,
    Other,
}

const WORD: [&[u8]; 2] = [
    b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    b"http://purl.oclc.org/ooxml/wordprocessingml/main",
];
const COMPAT: &[u8] = b"http://schemas.openxmlformats.org/markup-compatibility/2006";
const RELATIONSHIPS: &[u8] = b"http://schemas.openxmlformats.org/package/2006/relationships";

impl Ns {
    fn of(uri: &[u8]) -> Ns {
        if WORD.contains(&uri) {
            Ns::Word
        } else if uri == COMPAT {
            Ns::Compat
        } else if uri == RELATIONSHIPS {
            Ns::Relationships
        } else {
            Ns::Other
        }
    }
}

/// The prefix bindings in force, innermost last.
#[derive(Default)]
pub struct Scopes {
    /// (prefix, namespace, depth of the declaring element); the empty prefix is the default
    /// namespace.
    bindings: Vec<(Vec<u8>, Ns, usize)>,
    /// The last prefix resolved and its namespace, until the bindings change: a Word root
    /// declares some thirty prefixes and nearly every element uses the same one.
    last: Option<(Vec<u8>, Ns)>,
}

impl Scopes {
    /// A start tag at `depth`: records its declarations and resolves its name.
    pub fn start<'e>(&mut self, e: &'e BytesStart<'_>, depth: usize) -> (Ns, &'e [u8]) {
        self.open(e, depth);
        self.resolve(e.name())
    }

    /// An empty element at `depth`: its declarations hold for its own name only.
    pub fn empty<'e>(&mut self, e: &'e BytesStart<'_>, depth: usize) -> (Ns, &'e [u8]) {
        let resolved = self.start(e, depth);
        self.close(depth);
        resolved
    }

    /// Records the declarations made by an element opened at `depth`.
    fn open(&mut self, e: &BytesStart<'_>, depth: usize) {
        // A declaration's name follows white space; looking for `xmlns` only there is cheaper
        // than a substring search over every run's attributes.
        let attrs = e.attributes_raw();
        let declares = memchr::memchr_iter(b'x', attrs).any(|i| {
            i.checked_sub(1)
                .and_then(|p| attrs.get(p))
                .is_some_and(u8::is_ascii_whitespace)
                && attrs.get(i..i + 5) == Some(b"xmlns")
        });
        if !declares {
            return;
        }
        self.last = None;
        for a in e.attributes().with_checks(false).flatten() {
            let prefix: &[u8] = match a.key.as_namespace_binding() {
                Some(PrefixDeclaration::Default) => b"",
                Some(PrefixDeclaration::Named(p)) => p,
                None => continue,
            };
            self.bindings
                .push((prefix.to_vec(), Ns::of(&a.value), depth));
        }
    }

    /// Forgets the declarations of the element at `depth`, which is closing.
    pub fn close(&mut self, depth: usize) {
        while self.bindings.last().is_some_and(|b| b.2 >= depth) {
            self.bindings.pop();
            self.last = None;
        }
    }

    /// The namespace and local name of an element name. An unbound prefix, or no prefix
    /// without a default namespace, is `Other`.
    fn resolve<'n>(&mut self, name: QName<'n>) -> (Ns, &'n [u8]) {
        // Names are a few bytes long: a plain scan for the colon beats a memchr call, and this
        // runs for every element.
        let raw = name.into_inner();
        let (prefix, local) = match raw.iter().position(|&b| b == b':') {
            Some(i) => (
                raw.get(..i).unwrap_or_default(),
                raw.get(i + 1..).unwrap_or_default(),
            ),
            None => (&b""[..], raw),
        };
        if let Some((p, ns)) = &self.last {
            if p.iter().eq(prefix) {
                return (*ns, local);
            }
        }
        let ns = self
            .bindings
            .iter()
            .rev()
            .find(|b| b.0 == prefix)
            .map_or(Ns::Other, |b| b.1);
        self.last = Some((prefix.to_vec(), ns));
        (ns, local)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start(xml: &str) -> BytesStart<'_> {
        let name_len = xml.find(' ').unwrap_or(xml.len());
        BytesStart::from_content(xml, name_len)
    }

    #[test]
    fn prefixes_resolve_to_their_innermost_binding() {
        let mut s = Scopes::default();
        let root = start(
            r#"x:document xmlns:x="http://purl.oclc.org/ooxml/wordprocessingml/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006""#,
        );
        s.open(&root, 1);
        assert_eq!(s.resolve(root.name()), (Ns::Word, &b"document"[..]));
        assert_eq!(s.resolve(QName(b"mc:Fallback")).0, Ns::Compat);
        // Rebinding x below the root hides the outer binding until that element closes.
        let inner = start(r#"x:p xmlns:x="urn:other""#);
        s.open(&inner, 2);
        assert_eq!(s.resolve(inner.name()).0, Ns::Other);
        s.close(2);
        assert_eq!(s.resolve(QName(b"x:p")).0, Ns::Word);
        s.close(1);
        assert_eq!(s.resolve(QName(b"x:p")).0, Ns::Other);
    }

    #[test]
    fn unbound_and_unprefixed_names_are_other_unless_a_default_is_declared() {
        let mut s = Scopes::default();
        assert_eq!(s.resolve(QName(b"w:p")).0, Ns::Other);
        assert_eq!(s.resolve(QName(b"p")).0, Ns::Other);
        let root = start(
            r#"document xmlns="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#,
        );
        s.open(&root, 1);
        assert_eq!(s.resolve(QName(b"p")), (Ns::Word, &b"p"[..]));
        assert_eq!(s.resolve(QName(b"w:p")).0, Ns::Other);
    }

    #[test]
    fn attributes_that_only_look_like_declarations_bind_nothing() {
        let mut s = Scopes::default();
        s.open(&start(r#"w:p w:xmlnsish="x" data="xmlns""#), 1);
        assert_eq!(s.resolve(QName(b"w:p")).0, Ns::Other);
    }
}
