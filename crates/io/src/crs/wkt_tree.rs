//! A tolerant reader of CRS WKT (OGC WKT1, ESRI WKT1 and WKT2) into a tree of
//! `KEYWORD[arg, ...]` nodes; both `[]` and `()` are accepted as brackets.

/// One argument of a WKT node.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Arg {
    /// A quoted string.
    Str(String),
    /// A number.
    Num(f64),
    /// A bare word (`EAST`, `NORTH`).
    Word(String),
    /// A nested node.
    Node(Node),
}

/// `KEYWORD[args]`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    /// The keyword, upper-cased.
    pub keyword: String,
    /// Its arguments.
    pub args: Vec<Arg>,
}

impl Node {
    /// The first string argument (the name of most nodes).
    pub fn name(&self) -> Option<&str> {
        self.args.iter().find_map(|a| match a {
            Arg::Str(s) => Some(s.as_str()),
            _ => None,
        })
    }

    /// Direct children with one of these keywords.
    pub fn children<'a, 'k>(
        &'a self,
        keywords: &'k [&'k str],
    ) -> impl Iterator<Item = &'a Node> + 'k
    where
        'a: 'k,
    {
        self.args.iter().filter_map(move |a| match a {
            Arg::Node(n) if keywords.contains(&n.keyword.as_str()) => Some(n),
            _ => None,
        })
    }

    /// The first direct child with one of these keywords.
    pub fn child(&self, keywords: &[&str]) -> Option<&Node> {
        self.args.iter().find_map(|a| match a {
            Arg::Node(n) if keywords.contains(&n.keyword.as_str()) => Some(n),
            _ => None,
        })
    }

    /// The first node at any depth (self included) with one of these keywords.
    pub fn find(&self, keywords: &[&str]) -> Option<&Node> {
        if keywords.contains(&self.keyword.as_str()) {
            return Some(self);
        }
        self.args.iter().find_map(|a| match a {
            Arg::Node(n) => n.find(keywords),
            _ => None,
        })
    }

    /// The n-th numeric argument.
    pub fn number(&self, n: usize) -> Option<f64> {
        self.args
            .iter()
            .filter_map(|a| match a {
                Arg::Num(x) => Some(*x),
                _ => None,
            })
            .nth(n)
    }

    /// The second argument as text (an AUTHORITY/ID code, quoted or not).
    pub fn code(&self) -> Option<String> {
        match self.args.get(1)? {
            Arg::Str(s) => Some(s.clone()),
            Arg::Num(x) => Some(format!("{x}")),
            Arg::Word(w) => Some(w.clone()),
            Arg::Node(_) => None,
        }
    }
}

/// Parses one WKT node; `Err` says where it went wrong.
pub(crate) fn parse(text: &str) -> Result<Node, String> {
    let chars: Vec<char> = text.trim_start_matches('\u{feff}').chars().collect();
    let mut p = Parser { chars, pos: 0 };
    p.skip_ws();
    let node = p.node()?;
    p.skip_ws();
    if p.pos < p.chars.len() {
        return Err(format!(
            "unexpected text after the end at character {}",
            p.pos
        ));
    }
    Ok(node)
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn word(&mut self) -> String {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.' || c == '-' || c == '+')
        {
            self.pos += 1;
        }
        self.chars[start..self.pos].iter().collect()
    }

    fn node(&mut self) -> Result<Node, String> {
        let keyword = self.word();
        if keyword.is_empty() {
            return Err(format!("expected a keyword at character {}", self.pos));
        }
        self.skip_ws();
        let close = match self.peek() {
            Some('[') => ']',
            Some('(') => ')',
            _ => {
                return Err(format!(
                    "expected '[' after {keyword} at character {}",
                    self.pos
                ));
            }
        };
        self.pos += 1;
        let mut args = Vec::new();
        loop {
            self.skip_ws();
            match self.peek() {
                None => return Err(format!("unclosed {keyword}[")),
                Some(c) if c == close => {
                    self.pos += 1;
                    break;
                }
                Some(',') => self.pos += 1,
                Some('"') => args.push(Arg::Str(self.string()?)),
                Some(c) if c.is_ascii_digit() || c == '-' || c == '+' || c == '.' => {
                    let w = self.word();
                    let n = w
                        .parse::<f64>()
                        .map_err(|_| format!("bad number {w:?} in {keyword}"))?;
                    args.push(Arg::Num(n));
                }
                Some(_) => {
                    let save = self.pos;
                    let w = self.word();
                    if w.is_empty() {
                        return Err(format!("unexpected character at {}", self.pos));
                    }
                    self.skip_ws();
                    if matches!(self.peek(), Some('[') | Some('(')) {
                        self.pos = save;
                        args.push(Arg::Node(self.node()?));
                    } else {
                        args.push(Arg::Word(w));
                    }
                }
            }
        }
        Ok(Node {
            keyword: keyword.to_ascii_uppercase(),
            args,
        })
    }

    fn string(&mut self) -> Result<String, String> {
        self.pos += 1; // opening quote
        let mut s = String::new();
        loop {
            match self.peek() {
                None => return Err("unclosed string".to_owned()),
                Some('"') if self.chars.get(self.pos + 1) == Some(&'"') => {
                    s.push('"');
                    self.pos += 2;
                }
                Some('"') => {
                    self.pos += 1;
                    return Ok(s);
                }
                Some(c) => {
                    s.push(c);
                    self.pos += 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_nested_nodes_words_and_numbers() {
        let n = parse(r#"PROJCS["a",GEOGCS["b",DATUM["D_x",SPHEROID["s",6378137.0,298.2]]],AXIS["E",EAST],PARAMETER["k",-1.5e0]]"#)
            .expect("parses");
        assert_eq!(n.keyword, "PROJCS");
        assert_eq!(n.name(), Some("a"));
        assert_eq!(n.find(&["DATUM"]).and_then(Node::name), Some("D_x"));
        assert_eq!(
            n.child(&["PARAMETER"]).and_then(|p| p.number(0)),
            Some(-1.5)
        );
        assert!(parse("PROJCS[\"a\"").is_err());
    }
}
