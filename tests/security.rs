//! What a hostile repository cannot make dsd do: read files outside the project
//! through imports (`..` or a symbolic link), write outside `-o DIR` (through a
//! symbolic link left in it), import without bound, or give output that depends
//! on argument order.
//! (HTML escaping of every user string: tests/diagrams.rs, hostile_text.dsd.)

mod common;
use common::{run, temp_dir, write};

const SECRET: &str = "tool secret_catalogue : stream_broker { per_partition 1 MB/s }\n";

fn design_importing(what: &str) -> String {
    format!(
        "import \"{what}\"\ndesign d \"D\" {{\n  source a : service\n  node b : stream_broker {{ partitions 3 }}\n  use secret_catalogue for b\n    because \"x\"\n    accepting \"y\"\n  flow a -> b stream\n}}\n"
    )
}

#[cfg(unix)]
#[test]
fn imports_cannot_leave_the_project_by_dotdot_or_symlink() {
    let dir = temp_dir("escape");
    let outside = dir.join("outside/secret.dsd");
    write(&outside, SECRET);
    let project = dir.join("project");
    std::fs::create_dir_all(&project).unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink(&outside, project.join("link.dsd"))
        .unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink(dir.join("outside"), project.join("linkdir"))
        .unwrap_or_else(|e| panic!("{e}"));
    for (file, import) in [
        ("dotdot.dsd", "../outside/secret.dsd"),
        ("link_file.dsd", "link.dsd"),
        ("link_dir.dsd", "linkdir/secret.dsd"),
        ("absolute.dsd", outside.to_str().unwrap_or("/")),
    ] {
        let main = project.join(file);
        write(&main, &design_importing(import));
        let main = main.to_string_lossy().into_owned();
        let (code, json, _) = run(&["check", "--format", "json", &main]);
        assert_eq!(code, 1, "{file}: {json}");
        assert!(json.contains("import-error"), "{file}: {json}");
        assert!(json.contains("outside the project root"), "{file}: {json}");
        // The outside catalogue was not read: its tool stays unknown.
        assert!(json.contains("secret_catalogue"), "{file}: {json}");
        assert!(!json.contains("per_partition"), "{file}: {json}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn build_never_writes_through_a_symlink_in_the_output_folder() {
    let dir = temp_dir("out-link");
    let victim = dir.join("victim.txt");
    write(&victim, "keep me\n");
    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap_or_else(|e| panic!("{e}"));
    // A repository could ship `out/razorpay_payments.svg -> ~/.bashrc`.
    std::os::unix::fs::symlink(&victim, out.join("razorpay_payments.svg"))
        .unwrap_or_else(|e| panic!("{e}"));
    let out_s = out.to_string_lossy().into_owned();
    let (code, _, err) = run(&[
        "build",
        "examples/razorpay_payments.dsd",
        "-o",
        &out_s,
        "--emit",
        "svg,dot",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("symbolic link"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&victim).unwrap_or_default(),
        "keep me\n"
    );
    // The other outputs were written, inside the folder.
    assert!(out.join("razorpay_payments.dot").is_file(), "{err}");
    let mut top: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    top.sort();
    assert_eq!(
        top,
        ["out", "victim.txt"],
        "nothing written beside the output folder"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn init_never_writes_through_a_dangling_symlink() {
    let dir = temp_dir("init-link");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let victim = dir.join("not-yet.txt");
    std::os::unix::fs::symlink(&victim, dir.join("orders.dsd")).unwrap_or_else(|e| panic!("{e}"));
    let dir_s = dir.to_string_lossy().into_owned();
    let (code, _, err) = run(&["init", "orders", "-o", &dir_s]);
    assert_eq!(code, 2, "{err}");
    assert!(!victim.exists(), "dsd init wrote through the link");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every format of `dsd check`, and every file of `dsd build`, is the same
/// whatever order the files are named in.
#[test]
fn output_does_not_depend_on_the_order_of_the_files() {
    // Each with diagnostics, so that each file's part of the output shows.
    let files = [
        "tests/fixtures/errors/unknown_name.dsd",
        "tests/fixtures/errors/duplicate_name.dsd",
        "tests/antipatterns/kafka_as_archive.dsd",
    ];
    let mut reversed = files;
    reversed.reverse();
    for format in ["human", "concise", "json", "sarif", "github"] {
        let mut a = vec!["check", "--format", format, "--color", "never"];
        a.extend(files);
        let mut b = vec!["check", "--format", format, "--color", "never"];
        b.extend(reversed);
        let (ca, oa, ea) = run(&a);
        let (cb, ob, eb) = run(&b);
        assert_eq!(ca, cb, "{format}");
        assert_eq!(oa, ob, "{format}: stdout differs with the files reversed");
        assert_eq!(ea, eb, "{format}: stderr differs with the files reversed");
    }
    let one = temp_dir("order-a");
    let two = temp_dir("order-b");
    let clean = [
        "examples/razorpay_payments.dsd",
        "examples/meesho_warehouse.dsd",
    ];
    let (c1, _, e1) = run(&["build", clean[0], clean[1], "-o", &one.to_string_lossy()]);
    let (c2, _, e2) = run(&["build", clean[1], clean[0], "-o", &two.to_string_lossy()]);
    assert_eq!((c1, c2), (0, 0), "{e1}\n{e2}");
    let mut names: Vec<_> = std::fs::read_dir(&one)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(|e| e.ok().map(|e| e.file_name()))
        .collect();
    names.sort();
    assert!(names.len() >= 12, "{names:?}");
    for n in names {
        let a = std::fs::read(one.join(&n)).unwrap_or_default();
        let b = std::fs::read(two.join(&n)).unwrap_or_default();
        assert!(a == b, "{n:?} differs with the files reversed");
    }
    let _ = std::fs::remove_dir_all(&one);
    let _ = std::fs::remove_dir_all(&two);
}

/// Imports from memory, for the import limits.
struct Files(std::collections::BTreeMap<String, String>);

impl dsd::Loader for Files {
    fn load(&self, path: &str) -> Result<String, String> {
        self.0
            .get(path)
            .cloned()
            .ok_or_else(|| format!("no file `{path}`"))
    }
}

fn import_errors(main: &str, files: &Files) -> Vec<String> {
    let c = dsd::compile("main.dsd", main, files);
    c.diagnostics
        .iter()
        .filter(|d| d.code == "import-error")
        .map(|d| d.message.clone())
        .collect()
}

#[test]
fn imports_are_bounded_in_depth_count_and_cycles() {
    // A chain 40 deep: refused at depth 32, once.
    let mut chain = std::collections::BTreeMap::new();
    for i in 0..40 {
        chain.insert(
            format!("c{i}.dsd"),
            format!("import \"c{}.dsd\"\nnoun n{i}\n", i + 1),
        );
    }
    chain.insert("c40.dsd".into(), "noun last\n".into());
    let errors = import_errors("import \"c0.dsd\"\n", &Files(chain));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors.iter().all(|e| e.contains("nested at most 32 deep")),
        "{errors:?}"
    );

    // 300 files side by side: the first 255 load, the rest are refused.
    let mut wide = std::collections::BTreeMap::new();
    let mut main = String::new();
    for i in 0..300 {
        wide.insert(format!("w{i}.dsd"), format!("noun w{i}\n"));
        main.push_str(&format!("import \"w{i}.dsd\"\n"));
    }
    let errors = import_errors(&main, &Files(wide));
    assert_eq!(errors.len(), 300 - 255, "{}", errors.len());
    assert!(errors.iter().all(|e| e.contains("at most 256 files")));

    // A cycle is named, and reading stops.
    let mut cycle = std::collections::BTreeMap::new();
    cycle.insert("a.dsd".to_string(), "import \"b.dsd\"\n".to_string());
    cycle.insert("b.dsd".to_string(), "import \"a.dsd\"\n".to_string());
    let errors = import_errors("import \"a.dsd\"\n", &Files(cycle));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors
            .iter()
            .all(|e| e.contains("import cycle: main.dsd -> a.dsd -> b.dsd -> a.dsd")),
        "{errors:?}"
    );
}
