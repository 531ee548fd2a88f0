//! The OpenAPI document passes a validator no one here wrote (PyPI `openapi-spec-validator`,
//! installed by `scripts/test`).
#![allow(missing_docs, clippy::unwrap_used)]

#[test]
fn openapi_document_is_valid_openapi_3_1() {
    let doc = serde_json::to_string_pretty(&landcycle_server::openapi()).unwrap();
    let v: serde_json::Value = serde_json::from_str(&doc).unwrap();
    assert_eq!(v["openapi"], "3.1.0");
    validate(doc);
}

#[test]
fn ogc_api_document_is_valid_openapi_3_0() {
    let v = landcycle_server::ogc::api_doc::document("http://127.0.0.1:8080");
    assert_eq!(v["openapi"], "3.0.3");
    validate(serde_json::to_string_pretty(&v).unwrap());
}

fn validate(doc: String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("openapi.json");
    std::fs::write(&path, doc).unwrap();
    let out = match std::process::Command::new("openapi-spec-validator")
        .arg(&path)
        .output()
    {
        Ok(o) => o,
        Err(e) => panic!(
            "openapi-spec-validator (pip install openapi-spec-validator) is needed; scripts/test installs it: {e}"
        ),
    };
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success() && text.contains("OK"),
        "the validator refused the document: {text}"
    );
}
