//! A small sequence diff (Myers' O(ND) algorithm) and the unified diff that
//! `--dry-run` prints. Also used by `wslcfg diff` for command-line tokens.

/// One step of an edit script, with indexes into the two sequences.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Same(usize, usize),
    Removed(usize),
    Added(usize),
}

/// The shortest edit script turning `a` into `b`, in order.
pub fn diff<T: PartialEq>(a: &[T], b: &[T]) -> Vec<Step> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (am, bm) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut steps: Vec<Step> = (0..prefix).map(|i| Step::Same(i, i)).collect();
    steps.extend(middle(am, bm).into_iter().map(|s| match s {
        Step::Same(i, j) => Step::Same(i + prefix, j + prefix),
        Step::Removed(i) => Step::Removed(i + prefix),
        Step::Added(j) => Step::Added(j + prefix),
    }));
    steps.extend((0..suffix).map(|k| Step::Same(a.len() - suffix + k, b.len() - suffix + k)));
    steps
}

/// The most frontier entries kept for backtracking (about 400 MB would be
/// far too much for a diff of a configuration file).
const TRACE_LIMIT: usize = 20_000_000;

/// Myers' greedy algorithm with the trace kept for backtracking.
fn middle<T: PartialEq>(a: &[T], b: &[T]) -> Vec<Step> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let max = (n + m) as usize;
    let offset = max as isize + 1;
    let mut v = vec![0isize; 2 * max + 3];
    let mut trace: Vec<Vec<isize>> = Vec::new();
    'outer: for d in 0..=max as isize {
        if trace.len() * v.len() > TRACE_LIMIT {
            // Too many differences to trace cheaply: everything changed.
            let mut steps: Vec<Step> = (0..a.len()).map(Step::Removed).collect();
            steps.extend((0..b.len()).map(Step::Added));
            return steps;
        }
        trace.push(v.clone());
        let mut k = -d;
        while k <= d {
            let idx = (k + offset) as usize;
            let mut x = if k == -d || (k != d && v[idx - 1] < v[idx + 1]) {
                v[idx + 1]
            } else {
                v[idx - 1] + 1
            };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            v[idx] = x;
            if x >= n && y >= m {
                trace.push(v.clone());
                break 'outer;
            }
            k += 2;
        }
    }
    // Walk back from (n, m) through the saved frontiers.
    let mut steps = Vec::new();
    let (mut x, mut y) = (n, m);
    for d in (1..trace.len() as isize - 1).rev() {
        let v = &trace[d as usize];
        let k = x - y;
        let idx = (k + offset) as usize;
        let prev_k = if k == -d || (k != d && v[idx - 1] < v[idx + 1]) {
            k + 1
        } else {
            k - 1
        };
        let prev_x = v[(prev_k + offset) as usize];
        let prev_y = prev_x - prev_k;
        while x > prev_x && y > prev_y {
            x -= 1;
            y -= 1;
            steps.push(Step::Same(x as usize, y as usize));
        }
        if x == prev_x {
            y -= 1;
            steps.push(Step::Added(y as usize));
        } else {
            x -= 1;
            steps.push(Step::Removed(x as usize));
        }
    }
    while x > 0 && y > 0 {
        x -= 1;
        y -= 1;
        steps.push(Step::Same(x as usize, y as usize));
    }
    steps.reverse();
    steps
}

/// The lines of a text, each with its line break.
fn lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

/// A unified diff (3 lines of context) from `old` to `new`; empty when they
/// are equal. `old_name` / `new_name` head the `---` / `+++` lines.
pub fn unified(old: &str, new: &str, old_name: &str, new_name: &str) -> String {
    const CONTEXT: usize = 3;
    let (a, b) = (lines(old), lines(new));
    let steps = diff(&a, &b);
    let changed: Vec<usize> = steps
        .iter()
        .enumerate()
        .filter(|(_, s)| !matches!(s, Step::Same(..)))
        .map(|(i, _)| i)
        .collect();
    if changed.is_empty() {
        return String::new();
    }
    let mut out = format!("--- {old_name}\n+++ {new_name}\n");
    // Group changes whose context overlaps into hunks.
    let mut groups: Vec<(usize, usize)> = Vec::new();
    for &i in &changed {
        match groups.last_mut() {
            Some((_, end)) if i <= *end + 2 * CONTEXT + 1 => *end = i,
            _ => groups.push((i, i)),
        }
    }
    for (first, last) in groups {
        let start = first.saturating_sub(CONTEXT);
        let end = (last + CONTEXT + 1).min(steps.len());
        let hunk = &steps[start..end];
        let (mut old_start, mut new_start) = (None, None);
        let (mut old_len, mut new_len) = (0, 0);
        // Positions for an empty side: the line before the hunk.
        let (mut old_before, mut new_before) = (0, 0);
        for s in &steps[..start] {
            match s {
                Step::Same(..) => {
                    old_before += 1;
                    new_before += 1;
                }
                Step::Removed(_) => old_before += 1,
                Step::Added(_) => new_before += 1,
            }
        }
        let mut body = String::new();
        for s in hunk {
            let (mark, line) = match *s {
                Step::Same(i, j) => {
                    old_start.get_or_insert(i + 1);
                    new_start.get_or_insert(j + 1);
                    old_len += 1;
                    new_len += 1;
                    (' ', a[i])
                }
                Step::Removed(i) => {
                    old_start.get_or_insert(i + 1);
                    old_len += 1;
                    ('-', a[i])
                }
                Step::Added(j) => {
                    new_start.get_or_insert(j + 1);
                    new_len += 1;
                    ('+', b[j])
                }
            };
            body.push(mark);
            let shown = line
                .strip_suffix('\n')
                .map_or(line, |l| l.strip_suffix('\r').unwrap_or(l));
            body.push_str(shown);
            body.push('\n');
            if !line.ends_with('\n') {
                body.push_str("\\ No newline at end of file\n");
            }
        }
        let range = |start: Option<usize>, len: usize, before: usize| match (start, len) {
            (_, 0) => format!("{before},0"),
            (Some(s), 1) => s.to_string(),
            (Some(s), l) => format!("{s},{l}"),
            (None, l) => format!("{before},{l}"),
        };
        out.push_str(&format!(
            "@@ -{} +{} @@\n",
            range(old_start, old_len, old_before),
            range(new_start, new_len, new_before)
        ));
        out.push_str(&body);
    }
    out
}
