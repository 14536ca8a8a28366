//! Families of inputs made of one shape repeated, at any size: each reader and search that could
//! rescan the text from every candidate (a reply code, an address, a recipient line, a field)
//! meets thousands of candidates. Shared by the scaling test (`tests/scaling.rs`, the ratio of two
//! sizes) and the benchmark (`benches/pathological.rs`, 0.25 MB against 2 MB).

#![allow(dead_code)]

/// A named family: `unit(i)` is the i-th repetition; `head` and `tail` frame them.
pub struct Family {
    pub name: &'static str,
    pub head: &'static str,
    pub unit: fn(usize) -> String,
    pub tail: &'static str,
    /// Read as an mbox (split, then each message diagnosed), as the CLI and the page do.
    pub mbox: bool,
}

impl Family {
    /// About `bytes` of the family (whole repetitions).
    pub fn make(&self, bytes: usize) -> Vec<u8> {
        let mut out = self.head.as_bytes().to_vec();
        let mut i = 0;
        while out.len() < bytes {
            out.extend_from_slice((self.unit)(i).as_bytes());
            i += 1;
        }
        out.extend_from_slice(self.tail.as_bytes());
        out
    }

    /// Diagnoses the input the way the tools do; returns the number of reports.
    pub fn run(&self, input: &[u8]) -> usize {
        if self.mbox {
            let messages = bounce_doctor::mbox::split(input);
            for message in &messages {
                std::hint::black_box(bounce_doctor::diagnose(message));
            }
            messages.len()
        } else {
            std::hint::black_box(bounce_doctor::diagnose(input));
            1
        }
    }
}

/// The CPU time this thread has used: unlike wall time, it does not grow with the machine's
/// load, which stretches long runs (preempted) more than short ones (done within a time slice).
pub fn thread_cpu_time() -> std::time::Duration {
    let mut now = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime only writes the timespec it is given.
    let ok = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) } == 0;
    assert!(ok, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    std::time::Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

/// The CPU time `work` takes on this thread.
pub fn cpu_time_of(work: impl FnOnce()) -> std::time::Duration {
    let start = thread_cpu_time();
    work();
    thread_cpu_time() - start
}

const WORDS: &[&str] = &["the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "mail", "server", "message", "delivery", "report", "please"];

/// `n` ordinary words, varied by `i`.
fn words(i: usize, n: usize) -> String {
    (0..n).map(|k| WORDS[(i * 7 + k * 5 + k * k) % WORDS.len()]).collect::<Vec<_>>().join(" ")
}

const PASTE: &str = "";
const NOTICE: &str = "From: MAILER-DAEMON@example.org\nSubject: Undelivered Mail Returned to Sender\n\n";
const LETTER: &str = "From: Ken <ken@example.org>\nTo: help@example.org\nSubject: Re: returned\n\nThis came back:\n";
const DSN_HEAD: &str = "From: MAILER-DAEMON@example.org\nSubject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nThe mail could not be delivered.\n\n--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\n";

const fn family(name: &'static str, head: &'static str, unit: fn(usize) -> String) -> Family {
    Family { name, head, unit, tail: "", mbox: false }
}

/// Every family, in the order the benchmark lists them.
pub const ALL: &[Family] = &[
    // The shape of issue 15: ordinary words with bare reply codes (each used to rescan the rest).
    family("bare reply codes", PASTE, |i| format!("{} 550 {}\n", words(i, 6), words(i + 1, 3))),
    family("bare reply codes, one line", PASTE, |i| format!("{} 550 ", words(i, 4))),
    family("status codes", PASTE, |i| format!("{} 5.1.{} {} ", words(i, 3), i % 10, words(i, 2))),
    family("IP addresses", PASTE, |i| format!("{} [192.0.2.{}] {}\n", words(i, 3), i % 250, words(i, 2))),
    family("client host IPs", PASTE, |i| format!("Client host [192.0.2.{}] blocked using zen.spamhaus.org; ", i % 250)),
    family("addresses", PASTE, |i| format!("{} <user{i}@example.com> {}\n", words(i, 3), words(i, 2))),
    family("bracketed reasons", PASTE, |i| format!("user{i}@example.com [{}]\n", words(i, 3))),
    // One `<address>: reply` line per recipient: the text decoder once looked each new recipient
    // up among those already read, so 100 000 of them took about 20 s.
    family("recipient reply lines", NOTICE, |i| format!("<user{i}@example.com>: 550 5.1.1 User unknown\n")),
    // The same lines quoted in a person's letter: each recipient the letter's reading found was
    // once looked for on every quoted line, so 32 000 of them took about 30 s.
    family("quoted recipient reply lines", LETTER, |i| format!("> <user{i}@example.com>: 550 5.1.1 User unknown\n")),
    family("said: lines", NOTICE, |i| format!("<user{i}@example.com>: host mx{i}.example.com[192.0.2.{}] said: 550 5.1.1 {} (in reply to RCPT TO command)\n", i % 250, words(i, 3))),
    family("bare recipient lines", PASTE, |i| format!("{} <user{i}@example.com>:\n{}\n", words(i, 2), words(i, 6))),
    family("one recipient, indented mentions", NOTICE, |i| if i == 0 { "<user@example.com>: host\n".to_owned() } else { format!("    {} <user@example.com>: {}\n", words(i, 1), words(i, 3)) }),
    family("unclosed (expanded from", NOTICE, |i| format!("<a{i}@example.com> (expanded from <list@example.com>\n<b{i}@example.com>: 550 {}\n", words(i, 2))),
    family("labelled recipients", NOTICE, |i| format!("Unknown user: user{i}@example.com\n")),
    family("DSN recipient fields", DSN_HEAD, |i| format!("Final-Recipient: rfc822; user{i}@example.com\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 {}\n\n", words(i, 3))),
    family("one DSN field, long continuation", "Reporting-MTA: dns; a.example\n\nFinal-Recipient: rfc822; a@b.example\nAction: failed\nStatus: 5.0.0\nDiagnostic-Code: smtp; 550 x\n", |i| format!(" {}\n", words(i, 6))),
    family("Received lines", "Subject: x\n", |i| format!("Received: from mx{i}.example.com ([192.0.2.{}])\n\tby mx.example.org; Mon, 1 Jan 2024 00:00:00 +0000\n", i % 250)),
    family("blank-line paragraphs", PASTE, |i| format!("{}\n\n", words(i, 6))),
    family("long line of words", PASTE, |i| format!("{} ", words(i, 6))),
    family("Sendmail transcript", "From: MAILER-DAEMON@example.org\nSubject: Returned mail\n\n   ----- Transcript of session follows -----\n", |i| format!("mail.local: {}\n554 <user{i}@example.com>... {}\n", words(i, 3), words(i, 2))),
    family("refused sessions", NOTICE, |i| format!("While talking to mx{i}.example.com:\n>>> MAIL From:<a@example.org>\n<<< 550 5.7.1 {}\n554 <user{i}@example.com>... {}\n", words(i, 3), words(i, 2))),
    family("multi-line replies", PASTE, |i| format!("550-5.7.1 {} ", words(i, 3))),
    family("Japanese text with codes", PASTE, |_| "このメールは配信できませんでした。宛先のメールアドレスが見つかりません。550 ".to_owned()),
    family("mail log lines", PASTE, |i| format!("Nov 30 12:00:{:02} mx postfix/smtp[{}]: {i:X}: to=<user{i}@example.com>, relay=mx.example.com[192.0.2.{}]:25, dsn=5.1.1, status=bounced (host mx.example.com[192.0.2.{}] said: 550 5.1.1 <user{i}@example.com>: Recipient address rejected: User unknown (in reply to RCPT TO command))\n", i % 60, 1000 + i, i % 250, i % 250)),
    family("MIME boundaries", "From: MAILER-DAEMON@example.org\nContent-Type: multipart/mixed; boundary=\"b\"\n\n", |i| format!("--b\nContent-Type: text/plain\n\n{} 550 {}\n", words(i, 4), words(i, 2))),
    Family { name: "mbox From lines", head: "", unit: |i| format!("From MAILER-DAEMON Mon Jan  1 00:00:00 2024\nSubject: Undelivered\n\n<user{i}@example.com>: 550 5.1.1 {}\n\n", words(i, 3)), tail: "", mbox: true },
];
