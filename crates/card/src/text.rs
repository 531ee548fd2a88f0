//! Placing lines of text on A4 pages, starting a new page when one is full.

use printpdf::{FontId, Mm, Op, PdfFontHandle, PdfPage, Point, Pt, TextItem};

/// Page width and height, millimetres (A4).
pub const A4: (f32, f32) = (210.0, 297.0);
/// Bottom margin: below it a new page starts.
const BOTTOM: f32 = 18.0;
/// Top of the text on a continuation page.
const TOP: f32 = 280.0;

/// Collects drawing operations per page.
pub struct Writer {
    /// Operations of the current page.
    pub ops: Vec<Op>,
    font: FontId,
    pages: Vec<PdfPage>,
    /// Baseline of the next flowing line, mm from the bottom.
    pub y: f32,
}

impl Writer {
    /// A writer using `font` for every text.
    pub fn new(font: FontId) -> Self {
        Self {
            ops: Vec::new(),
            font,
            pages: Vec::new(),
            y: TOP,
        }
    }

    /// Text at a fixed position (mm), `size` in points.
    pub fn text(&mut self, x: f32, y: f32, size: f32, s: &str) {
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFont {
                font: PdfFontHandle::External(self.font.clone()),
                size: Pt(size),
            },
            Op::SetTextCursor {
                pos: Point::new(Mm(x), Mm(y)),
            },
            Op::ShowText {
                items: vec![TextItem::Text(s.to_string())],
            },
            Op::EndTextSection,
        ]);
    }

    /// A flowing line at `x`, moving down by `step` mm; starts a new page when full.
    pub fn line(&mut self, x: f32, size: f32, step: f32, s: &str) {
        if self.y < BOTTOM {
            self.new_page();
        }
        self.text(x, self.y, size, s);
        self.y -= step;
    }

    /// Several columns on one flowing line (x positions in mm).
    pub fn row(&mut self, cols: &[(f32, &str)], size: f32, step: f32) {
        if self.y < BOTTOM {
            self.new_page();
        }
        for (x, s) in cols {
            self.text(*x, self.y, size, s);
        }
        self.y -= step;
    }

    /// Ends the current page.
    pub fn new_page(&mut self) {
        let ops = std::mem::take(&mut self.ops);
        self.pages.push(PdfPage::new(Mm(A4.0), Mm(A4.1), ops));
        self.y = TOP;
    }

    /// Every page, the current one included.
    pub fn finish(mut self) -> Vec<PdfPage> {
        if !self.ops.is_empty() || self.pages.is_empty() {
            self.new_page();
        }
        self.pages
    }
}

/// At most `n` characters of `s`, with an ellipsis when cut (no line wrapping on a card).
pub fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}
