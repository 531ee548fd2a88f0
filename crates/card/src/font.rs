//! Finding a CJK font at run time. Font files are never shipped with landcycle (licence and
//! size); the card uses what the machine has, WenQuanYi Micro Hei first.

use std::path::{Path, PathBuf};

use crate::CardError;

/// Environment variable naming the font file (TrueType/OpenType or a .ttc collection).
pub const FONT_ENV: &str = "LANDCYCLE_CJK_FONT";

/// Standard places of a CJK font on Debian/Ubuntu, Fedora and Alpine, best first.
/// Micro Hei comes first because it is one face with every GB 2312 and GBK character.
pub const SYSTEM_FONTS: &[&str] = &[
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",
];

/// What to install when no font is found (said in the 503 error).
pub const INSTALL_HINT: &str = "install the Debian/Ubuntu package fonts-wqy-microhei (apt-get install fonts-wqy-microhei), \
     or set LANDCYCLE_CJK_FONT / serve --font to a CJK .ttf/.ttc file";

/// The font to use: the explicit path (from `--font`) if given, then `LANDCYCLE_CJK_FONT`,
/// then [`SYSTEM_FONTS`]. An explicit path that does not exist is an error, not a silent
/// fallback, so a typo is noticed.
pub fn find_cjk_font(explicit: Option<&Path>) -> Result<PathBuf, CardError> {
    let env = std::env::var_os(FONT_ENV).map(PathBuf::from);
    if let Some(p) = explicit.map(Path::to_path_buf).or(env) {
        return if p.is_file() {
            Ok(p)
        } else {
            Err(CardError::NoFont(format!(
                "the configured CJK font {} does not exist; {INSTALL_HINT}",
                p.display()
            )))
        };
    }
    SYSTEM_FONTS
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .ok_or_else(|| {
            CardError::NoFont(format!(
                "no CJK font found (looked in {}); {INSTALL_HINT}",
                SYSTEM_FONTS.join(", ")
            ))
        })
}
