//! Builds Outlook `.msg` files for tests with the `cfb` crate ([MS-OXMSG] layout): property
//! streams, `__substg1.0_` string and binary streams, recipient and attachment storages, and
//! embedded messages. Shared by the unit tests (src/msg/tests.rs) and the CLI tests.
#![allow(dead_code)]

use std::io::{Cursor, Write};

pub const PT_LONG: u16 = 0x0003;
pub const PT_SYSTIME: u16 = 0x0040;

/// One storage's content: its fixed properties and its streams.
#[derive(Default, Clone)]
pub struct Props {
    pub fixed: Vec<(u16, u16, u64)>,
    pub streams: Vec<(String, Vec<u8>)>,
}

impl Props {
    pub fn long(mut self, id: u16, value: u32) -> Props {
        self.fixed.push((PT_LONG, id, u64::from(value)));
        self
    }

    pub fn time(mut self, id: u16, filetime: u64) -> Props {
        self.fixed.push((PT_SYSTIME, id, filetime));
        self
    }

    /// A Unicode (001F) string.
    pub fn unicode(mut self, id: u16, text: &str) -> Props {
        self.streams.push((format!("__substg1.0_{id:04X}001F"), text.encode_utf16().flat_map(u16::to_le_bytes).collect()));
        self
    }

    /// An ANSI (001E) string, already in the message's code page.
    pub fn ansi(mut self, id: u16, bytes: &[u8]) -> Props {
        self.streams.push((format!("__substg1.0_{id:04X}001E"), bytes.to_vec()));
        self
    }

    pub fn binary(mut self, id: u16, bytes: &[u8]) -> Props {
        self.streams.push((format!("__substg1.0_{id:04X}0102"), bytes.to_vec()));
        self
    }

    fn property_stream(&self, header: usize) -> Vec<u8> {
        let mut out = vec![0u8; header];
        for &(kind, id, value) in &self.fixed {
            out.extend_from_slice(&kind.to_le_bytes());
            out.extend_from_slice(&id.to_le_bytes());
            out.extend_from_slice(&6u32.to_le_bytes());
            out.extend_from_slice(&value.to_le_bytes());
        }
        out
    }
}

/// A message: its properties, recipients and attachments.
#[derive(Default, Clone)]
pub struct Msg {
    pub props: Props,
    pub recipients: Vec<Props>,
    pub attachments: Vec<Attach>,
}

#[derive(Clone)]
pub enum Attach {
    ByValue(Props),
    /// An embedded message (attach method 5, 3701000D), with the attachment's own properties.
    Embedded(Props, Box<Msg>),
}

impl Msg {
    pub fn new(props: Props) -> Msg {
        Msg { props, ..Msg::default() }
    }

    pub fn to(mut self, name: &str, email: &str) -> Msg {
        self.recipients.push(Props::default().long(0x0c15, 1).unicode(0x3001, name).unicode(0x39fe, email));
        self
    }

    pub fn attach(mut self, attachment: Attach) -> Msg {
        self.attachments.push(attachment);
        self
    }

    /// The `.msg` file's bytes, in compound file version 3 (512-byte sectors) as Outlook writes.
    pub fn build(&self) -> Vec<u8> {
        let mut file = cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new())).unwrap();
        self.write(&mut file, "", 32);
        file.flush().unwrap();
        file.into_inner().into_inner()
    }

    fn write(&self, file: &mut cfb::CompoundFile<Cursor<Vec<u8>>>, dir: &str, header: usize) {
        write_props(file, dir, &self.props, header);
        for (i, recipient) in self.recipients.iter().enumerate() {
            let path = format!("{dir}/__recip_version1.0_#{i:08X}");
            file.create_storage(&path).unwrap();
            write_props(file, &path, recipient, 8);
        }
        for (i, attachment) in self.attachments.iter().enumerate() {
            let path = format!("{dir}/__attach_version1.0_#{i:08X}");
            file.create_storage(&path).unwrap();
            match attachment {
                Attach::ByValue(props) => write_props(file, &path, &props.clone().long(0x3705, 1), 8),
                Attach::Embedded(props, inner) => {
                    write_props(file, &path, &props.clone().long(0x3705, 5), 8);
                    let inner_path = format!("{path}/__substg1.0_3701000D");
                    file.create_storage(&inner_path).unwrap();
                    inner.write(file, &inner_path, 24);
                }
            }
        }
    }
}

fn write_props(file: &mut cfb::CompoundFile<Cursor<Vec<u8>>>, dir: &str, props: &Props, header: usize) {
    let mut stream = file.create_stream(format!("{dir}/__properties_version1.0")).unwrap();
    stream.write_all(&props.property_stream(header)).unwrap();
    drop(stream);
    for (name, bytes) in &props.streams {
        let mut stream = file.create_stream(format!("{dir}/{name}")).unwrap();
        stream.write_all(bytes).unwrap();
    }
}

/// An Exchange-style non-delivery report for `recipient`, as received over SMTP and saved by
/// Outlook: transport headers, the plain body, the `message/delivery-status` part (by value) and
/// the returned message (embedded). The words are written here, modelled on RFC 3464's examples.
pub fn bounce(recipient: &str) -> Msg {
    let headers = "Return-Path: <>\r\nFrom: Mail Delivery System <postmaster@relay.example>\r\nTo: sender@origin.example\r\nSubject: Undeliverable: quarterly figures\r\nDate: Mon, 30 Nov 2026 09:00:00 +0900\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"old-boundary\"\r\n\r\n";
    let body = format!("Delivery has failed to these recipients or groups:\r\n\r\n{recipient}\r\nThe email address you entered couldn't be found.\r\n");
    let status = format!("Reporting-MTA: dns;relay.example\r\n\r\nFinal-Recipient: rfc822;{recipient}\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp;550 5.1.1 <{recipient}>: Recipient address rejected: User unknown\r\n");
    let returned = Msg::new(
        Props::default()
            .unicode(0x001a, "IPM.Note")
            .unicode(0x0037, "quarterly figures")
            .unicode(0x007d, &format!("From: sender@origin.example\r\nTo: {recipient}\r\nSubject: quarterly figures\r\n"))
            .unicode(0x1000, "The figures are attached."),
    );
    Msg::new(
        Props::default()
            .long(0x3ffd, 1252)
            .unicode(0x001a, "IPM.Note")
            .unicode(0x0037, "Undeliverable: quarterly figures")
            .unicode(0x007d, headers)
            .unicode(0x1000, &body),
    )
    .to("", "sender@origin.example")
    .attach(Attach::ByValue(Props::default().unicode(0x370e, "message/delivery-status").unicode(0x3707, "details.txt").binary(0x3701, status.as_bytes())))
    .attach(Attach::Embedded(Props::default().unicode(0x3001, "quarterly figures"), Box::new(returned)))
}

/// The same report as an `.eml`, for comparing what the two give.
pub fn bounce_eml(recipient: &str) -> Vec<u8> {
    format!(
        "Return-Path: <>\r\nFrom: Mail Delivery System <postmaster@relay.example>\r\nTo: sender@origin.example\r\nSubject: Undeliverable: quarterly figures\r\nDate: Mon, 30 Nov 2026 09:00:00 +0900\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nDelivery has failed to these recipients or groups:\r\n\r\n{recipient}\r\nThe email address you entered couldn't be found.\r\n\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns;relay.example\r\n\r\nFinal-Recipient: rfc822;{recipient}\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp;550 5.1.1 <{recipient}>: Recipient address rejected: User unknown\r\n\r\n--b\r\nContent-Type: message/rfc822\r\n\r\nFrom: sender@origin.example\r\nTo: {recipient}\r\nSubject: quarterly figures\r\n\r\nThe figures are attached.\r\n--b--\r\n"
    )
    .into_bytes()
}
