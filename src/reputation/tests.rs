//! One test per provider from the reference facts: the wording families each provider uses, the
//! list it names, the sender's IP, and the links of the table.

use super::*;

fn recognised(diagnostic: &str) -> Delivery {
    let mut delivery = Delivery { diagnostic: Some(diagnostic.to_owned()), reason: crate::classify::classify(diagnostic, None).reason, ..Delivery::default() };
    recognise(&mut delivery, &Context::default());
    delivery
}

/// (provider, list, ip) of a reply.
fn verdict(diagnostic: &str) -> Option<(String, Option<String>, Option<String>)> {
    recognised(diagnostic).blocklist.map(|b| (b.provider, b.list, b.ip))
}

fn owned(provider: &str, list: Option<&str>, ip: Option<&str>) -> Option<(String, Option<String>, Option<String>)> {
    Some((provider.to_owned(), list.map(str::to_owned), ip.map(str::to_owned)))
}

#[test]
fn trend_micro_every_wording_family() {
    let cases = [
        ("450 4.7.1 Service temporarily unavailable; Client host [203.0.113.5] blocked using Trend Micro Network Anti-Spam Service. Please see http://www.mail-abuse.com/cgi-bin/lookup?ip_address=203.0.113.5", None, Some("203.0.113.5")),
        ("550 5.7.1 Mail from 192.0.2.77 blocked using Trend Micro RBL+. Please see http://www.mail-abuse.com/cgi-bin/lookup?ip_address=192.0.2.77", Some("RBL+"), Some("192.0.2.77")),
        ("550 Mail from 198.51.100.7 refused by rbl-plus.mail-abuse.org", Some("RBL+"), Some("198.51.100.7")),
        ("550 5.7.1 Recipient address rejected: Mail from 192.0.2.150 was refused due to the sender IP found in ERS-RBL.", Some("RBL"), Some("192.0.2.150")),
        ("554 5.7.1 Recipient address rejected: ERS-QIL.", Some("QIL"), None),
        ("550 5.7.1 Recipient address rejected: ERS-DUL.", Some("DUL"), None),
        ("550 5.7.1 Recipient address rejected: ERS-Customized-Block.", Some("Customized-Block"), None),
        ("550 5.7.1 Mail from 192.0.2.4 blocked using Trend Micro Email Reputation Service (KSSL)", Some("KSSL"), Some("192.0.2.4")),
        ("421 Mail from 192.0.2.5 deferred using Trend Micro Email Reputation database", None, Some("192.0.2.5")),
        ("550 Your IP address 64.22.68.10 is blacklisted using RBL-Plus. Details: http://www.mail-abuse.com/cgi-bin/lookup?64.22.68.10.", Some("RBL+"), Some("64.22.68.10")),
        ("550 5.7.1 Mail from 192.0.2.17 refused by MAPS RBL; see http://mail-abuse.org/cgi-bin/lookup?192.0.2.17", Some("RBL"), Some("192.0.2.17")),
        ("450 4.7.1 Mail from 192.0.2.18 deferred: Trend Micro Email Reputation Services Dynamic (Zombie) list", Some("QIL"), Some("192.0.2.18")),
        ("554 Connection rejected -- blocked using Trend Micro Email Reputation Services -- for this 49.254.118.167", None, Some("49.254.118.167")),
        ("450 Mail from 192.0.2.8 has been blocked by Trend Micro Email Reputation Service. Please see https://ers.trendmicro.com/reputations", None, Some("192.0.2.8")),
    ];
    for (reply, list, ip) in cases {
        assert_eq!(verdict(reply), owned("trendmicro-ers", list, ip), "{reply}");
    }
}

#[test]
fn trend_micro_links_point_to_service_central_and_keep_the_retired_one() {
    let bl = recognised("450 4.7.1 Client host [203.0.113.5] blocked using Trend Micro Network Anti-Spam Service. Please see http://www.mail-abuse.com/cgi-bin/lookup?ip_address=203.0.113.5; Mail").blocklist.unwrap();
    assert_eq!(bl.lookup_url.as_deref(), Some("https://servicecentral.trendmicro.com/en-US/ers/ip-lookup/"));
    assert_eq!(bl.delist_url.as_deref(), Some("https://servicecentral.trendmicro.com/en-US/ers/ip-lookup/"));
    assert_eq!(bl.retired_url.as_deref(), Some("http://www.mail-abuse.com/cgi-bin/lookup?ip_address=203.0.113.5"));
}

#[test]
fn the_recipients_own_block_offers_no_removal_form() {
    // blocklists.md: ERS-Customized-Block is the recipient administrator's rule, nothing to delist.
    for reply in ["550 5.7.1 Recipient address rejected: ERS-Customized-Block.", "554 Mail from 192.0.2.61 rejected: ERS-Customized-Block (Trend Micro)"] {
        let bl = recognised(reply).blocklist.unwrap();
        assert_eq!(bl.list.as_deref(), Some("Customized-Block"), "{reply}");
        assert_eq!(bl.delist_url, None, "{reply}");
    }
    // A global ERS list of the same provider keeps its form.
    assert!(recognised("550 5.7.1 Recipient address rejected: ERS-RBL.").blocklist.unwrap().delist_url.is_some());
}

#[test]
fn list_providers_by_zone_or_url() {
    let cases = [
        ("554 5.7.1 Service unavailable; Client host [119.245.1.2] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/119.245.1.2", "spamhaus", "119.245.1.2"),
        ("550 5.7.1 Client host [203.0.113.77] blocked using cbl.abuseat.org; Blocked - see http://cbl.abuseat.org/lookup.cgi?ip=203.0.113.77", "spamhaus", "203.0.113.77"),
        ("554 Client host [203.0.113.19] blocked using b.barracudacentral.org; http://www.barracudanetworks.com/reputation/?pr=1&ip=203.0.113.19", "barracuda", "203.0.113.19"),
        ("550 JunkMail rejected - mail.example.co.jp [198.51.100.40]:24706 is in an RBL: Blocked - see https://www.spamcop.net/bl.shtml?198.51.100.40", "spamcop", "198.51.100.40"),
        ("554 Blocked - see https://ipcheck.proofpoint.com/?ip=203.0.113.108", "proofpoint", "203.0.113.108"),
        ("550 client [192.0.2.1] blocked using Cloudmark Sender Intelligence (Visit http://csi.cloudmark.com/reset-request/", "cloudmark", "192.0.2.1"),
        ("550 5.7.1 Client host [203.0.113.91] blocked using dnsbl-1.uceprotect.net; IP 203.0.113.91 is UCEPROTECT-Level1 listed.", "uceprotect", "203.0.113.91"),
        ("550 Client host [192.0.2.72] blocked using psbl.surriel.com; Listed in PSBL, see http://psbl.org/listing?ip=192.0.2.72", "psbl", "192.0.2.72"),
        ("554 Client host [198.51.100.66] blocked using ix.dnsbl.manitu.net; see http://www.dnsbl.manitu.net/lookup.php?value=198.51.100.66", "nixspam", "198.51.100.66"),
        ("550 Black listed at hostkarma http://ipadmin.junkemailfilter.com/remove.php?ip=203.0.113.33", "hostkarma", "203.0.113.33"),
        ("554 Client host [192.0.2.40] blocked using dyna.spamrats.com", "spamrats", "192.0.2.40"),
        ("554 Client host [192.0.2.41] blocked using sip.invaluement.com", "invaluement", "192.0.2.41"),
        ("554 Client host [192.0.2.42] blocked using combined.mail.abusix.zone; https://lookup.abusix.com/search?q=192.0.2.42", "abusix", "192.0.2.42"),
        ("454 4.7.1 Client host [192.0.2.99] blocked using dnsbl.sorbs.net", "sorbs", "192.0.2.99"),
        ("554 Your IP 192.0.2.43 has a poor reputation at Cisco Talos: https://talosintelligence.com/reputation_center/lookup?search=192.0.2.43", "cisco-talos", "192.0.2.43"),
        ("550 Client host [192.0.2.44] rejected, see https://ipremoval.sms.symantec.com/", "symantec", "192.0.2.44"),
    ];
    for (reply, provider, ip) in cases {
        let (got, _, got_ip) = verdict(reply).unwrap_or_default();
        assert_eq!((got.as_str(), got_ip.as_deref()), (provider, Some(ip)), "{reply}");
    }
}

#[test]
fn receivers_own_systems() {
    let cases = [
        ("550 5.7.606 Access denied, banned sending IP [2001:db8:1234::25]. To request removal from this list please visit https://sender.office.com/", "microsoft-365", Some("2001:db8:1234::25")),
        ("451 4.7.650 The mail server [192.0.2.61] has been temporarily rate limited due to IP reputation.", "microsoft-365", Some("192.0.2.61")),
        ("550 5.7.1 Unfortunately, messages from [192.0.2.62] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3140).", "microsoft-outlook", Some("192.0.2.62")),
        ("550-5.7.1 [203.0.113.140] Our system has detected that this message is likely suspicious due to the very low reputation of the sending IP address. - gsmtp", "gmail", Some("203.0.113.140")),
        ("421-4.7.28 [192.0.2.35      15] Our system has detected an unusual rate of 421-4.7.28 unsolicited mail originating from your IP address. - gsmtp", "gmail", Some("192.0.2.35")),
        ("421 4.7.0 [TSS04] Messages from 192.0.2.25 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes", "yahoo", Some("192.0.2.25")),
        ("553 5.7.2 [TSS09] All messages from 192.0.2.26 will be permanently deferred; Retrying will NOT succeed.", "yahoo", Some("192.0.2.26")),
        ("550 5.7.1 [CS01] Message rejected due to local policy. Please visit https://support.apple.com/en-us/HT204137", "apple-icloud", None),
        ("550 csi.mimecast.org Poor Reputation Sender. - https://community.mimecast.com/docs/DOC-1369#550", "mimecast", None),
        ("553 5.3.0 flpd594 DNSBL:RBL 521< 192.0.2.53 >_is_blocked.For assistance forward this email to abuse_rbl@abuse-att.net", "att", Some("192.0.2.53")),
        ("554 resimta-po-39v.sys.comcast.net resimta-po-39v.sys.comcast.net 192.0.2.63 found on one or more DNSBLs, see http://postmaster.comcast.net/smtp-error-codes.php#BL000010", "comcast", Some("192.0.2.63")),
        ("554 IP=192.0.2.64 - A problem occurred. (Ask your postmaster for help or to contact tosa@rx.t-online.de to clarify.) (BL)", "t-online", Some("192.0.2.64")),
    ];
    for (reply, provider, ip) in cases {
        let (got, _, got_ip) = verdict(reply).unwrap_or_default();
        assert_eq!((got.as_str(), got_ip.as_deref()), (provider, ip), "{reply}");
    }
}

#[test]
fn a_cited_list_wins_over_the_receiver_that_cites_it() {
    let yahoo = verdict("553 5.7.1 [BL21] Connections will not be accepted from 192.0.2.70, because the ip is in Spamhaus's list; see http://postmaster.yahoo.com/errors/550-bl23.html");
    assert_eq!(yahoo.map(|v| v.0).as_deref(), Some("spamhaus"));
    let orange = verdict("550 5.7.1 Service refuse. Veuillez essayer plus tard. OFR006_100 Ref https://lookup.abusix.com/search?q=192.0.2.71");
    assert_eq!(orange.map(|v| (v.0, v.2)), Some(("abusix".to_owned(), Some("192.0.2.71".to_owned()))));
    let eop = verdict("550 5.7.1 Service unavailable, Client host [198.51.100.3] blocked using Spamhaus. To request removal from this list see https://www.spamhaus.org/query/ip/198.51.100.3 (AS16012611)");
    assert_eq!(eop.map(|v| v.0).as_deref(), Some("spamhaus"));
}

#[test]
fn unknown_zone_is_a_generic_dnsbl() {
    assert_eq!(
        verdict("550 5.7.1 <mail.example.co.jp[203.0.113.22]>: Client host rejected: blocked using bl.example.net; Please see http://bl.example.net/lookup?ip=203.0.113.22"),
        owned(GENERIC_DNSBL, Some("bl.example.net"), Some("203.0.113.22"))
    );
    assert_eq!(
        verdict("554 5.7.1 Service unavailable; Client host [192.0.2.211] blocked using ee.countries.nerd.dk; Your IP is in ee"),
        owned(GENERIC_DNSBL, Some("ee.countries.nerd.dk"), Some("192.0.2.211"))
    );
    for (reply, zone) in [
        ("550 Rejected because 192.0.2.1 is in black list at truncate.gbudb.net", "truncate.gbudb.net"),
        ("550 5.7.1 Your IP has been found on RBL rbl.example.net", "rbl.example.net"),
        ("554 5.7.1 Rejected: 192.0.2.1 listed on (dnsbl.example.org)", "dnsbl.example.org"),
        ("554 5.7.1 Connection from 192.0.2.1 blocked by bl.mailspike.net (listed)", "bl.mailspike.net"),
    ] {
        assert_eq!(verdict(reply).and_then(|v| v.1).as_deref(), Some(zone), "{reply}");
    }
}

#[test]
fn the_receivers_own_names_are_no_zone() {
    let mut delivery = Delivery {
        recipient: Some("hanako@partner.example.com".into()),
        remote_mta: Some("mx.partner.example.com".into()),
        diagnostic: Some("550 5.7.1 Sender address rejected: blacklisted by partner.example.com".into()),
        reason: Reason::Blocked,
        ..Delivery::default()
    };
    recognise(&mut delivery, &Context::default());
    assert_eq!(delivery.blocklist, None);
}

#[test]
fn other_failures_are_never_blocks() {
    for reply in [
        "550 Unknown user hanako@partner.example.com",
        "550 5.1.1 <hanako@partner.example.com>: Recipient address rejected: User unknown in virtual mailbox table",
        "552 5.2.2 Mailbox full",
        "550-5.7.26 This mail is unauthenticated, which poses a security risk to the sender and Gmail users, and has been blocked. SPF check for [example.co.jp] did not pass with ip: [198.51.100.250].",
        "554 5.7.1 <hanako@partner.example.com>: Relay access denied",
        "421 4.7.0 mx.partner.example.com Error: too many connections from 198.51.100.250",
        "550 5.7.1 Message rejected as spam by Content Filtering.",
        "550 5.1.2 Domain not found",
        // A receiver's error-page URL is printed on every refusal, not only on blocks.
        "554 5.7.9 Message not accepted for policy reasons. See https://senders.yahooinc.com/error-codes",
        // A missing reverse DNS name is its own reason, not a listing.
        "554 mta1.comcast.net comcast 203.0.113.2 Comcast requires that all mail servers must have a PTR record with a valid Reverse DNS entry.",
    ] {
        assert_eq!(verdict(reply), None, "{reply}");
    }
}

#[test]
fn host_name_instead_of_ip_takes_the_urls_ip() {
    assert_eq!(
        verdict("554 Client host [smtp001.example.co.jp] blocked using zen.spamhaus.org; https://check.spamhaus.org/results/?query=192.0.2.80").and_then(|v| v.2).as_deref(),
        Some("192.0.2.80")
    );
}

#[test]
fn lookup_links_fill_the_ip_only_where_the_provider_takes_it() {
    assert_eq!(fill_ip("https://check.spamhaus.org/results/?query={ip}", Some("192.0.2.1")), "https://check.spamhaus.org/results/?query=192.0.2.1");
    assert_eq!(fill_ip("https://check.spamhaus.org/results/?query={ip}", None), "https://check.spamhaus.org/results/");
    assert_eq!(fill_ip("https://www.spamcop.net/bl.shtml?{ip}", None), "https://www.spamcop.net/bl.shtml");
    assert_eq!(fill_ip("https://sender.office.com/", Some("192.0.2.1")), "https://sender.office.com/");
}

#[test]
fn list_kinds_decide_who_can_act() {
    let kind = |reply: &str| list_kind(&recognised(reply));
    assert_eq!(kind("550 ERS-DUL"), ListKind::Dynamic);
    assert_eq!(kind("450 ERS-QIL"), ListKind::Temporary);
    assert_eq!(kind("550 ERS-Customized-Block"), ListKind::RecipientOwn);
    assert_eq!(kind("554 Client host [192.0.2.1] blocked using sbl.spamhaus.org; https://www.spamhaus.org/sbl/query/SBL12345"), ListKind::Network);
    assert_eq!(kind("554 Client host [192.0.2.1] blocked using bl.example.net; dynamic IP address"), ListKind::Dynamic);
}

#[test]
fn every_provider_of_the_contract_is_in_the_table() {
    let ids = [
        "trendmicro-ers", "spamhaus", "barracuda", "spamcop", "microsoft-outlook", "microsoft-365", "gmail", "yahoo", "apple-icloud", "cisco-talos",
        "proofpoint", "cloudmark", "mimecast", "sophos", "symantec", "uceprotect", "abusix", "sorbs", "psbl", "nixspam", "invaluement", "hostkarma",
        "spamrats", "att", "comcast", "t-online",
    ];
    for id in ids {
        assert!(provider(id).is_some(), "{id}");
    }
    assert_eq!(PROVIDERS.len(), ids.len());
    // Every pattern compiles (a bad one panics here, not in use).
    assert_eq!(compiled().cites.len(), PROVIDERS.len());
}

/// The verdict of a reply to a recipient, through a given receiving host.
fn verdict_to(diagnostic: &str, recipient: &str, remote_mta: Option<&str>) -> Option<(String, Option<String>)> {
    let mut delivery = Delivery {
        diagnostic: Some(diagnostic.to_owned()),
        reason: crate::classify::classify(diagnostic, None).reason,
        recipient: Some(recipient.to_owned()),
        remote_mta: remote_mta.map(str::to_owned),
        ..Delivery::default()
    };
    recognise(&mut delivery, &Context::default());
    delivery.blocklist.map(|b| (b.provider, b.delist_url))
}

#[test]
fn outlook_com_consumer_blocks_are_told_from_exchange_online() {
    let outlook = Some(("microsoft-outlook".to_owned(), Some("https://olcsupport.office.com/".to_owned())));
    // Its own marks in the reply: an S3xxx code, its postmaster site (old and new address).
    let by_words = [
        "451 4.7.500 Server busy. Please try again later from [192.0.2.81]. (S3140)",
        "451 4.7.650 The mail server [192.0.2.82] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://postmaster.live.com (S775)",
        "451 4.7.650 The mail server [192.0.2.83] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://aka.ms/postmaster (S775)",
    ];
    for reply in by_words {
        assert_eq!(verdict_to(reply, "someone@corp.example", None), outlook, "{reply}");
    }
    // Only Exchange Online's codes, but a consumer recipient or a consumer MX.
    let bare = "451 4.7.650 The mail server [192.0.2.84] has been temporarily rate limited due to IP reputation.";
    assert_eq!(verdict_to(bare, "kunde@hotmail.fr", None), outlook);
    assert_eq!(verdict_to(bare, "name@outlook.co.jp", None), outlook);
    assert_eq!(verdict_to(bare, "someone@corp.example", Some("hotmail-com.olc.protection.outlook.com")), outlook);
    // A business tenant stays Exchange Online's, and so does a reply citing its removal form.
    assert_eq!(verdict_to(bare, "someone@corp.example", Some("corp-example.mail.protection.outlook.com")).map(|v| v.0).as_deref(), Some("microsoft-365"));
    let banned = "550 5.7.606 Access denied, banned sending IP [192.0.2.85]. To request removal from this list please visit https://sender.office.com/";
    assert_eq!(verdict_to(banned, "kunde@hotmail.de", None).map(|v| v.0).as_deref(), Some("microsoft-365"));
}

#[test]
fn cisco_default_reputation_reject_is_talos() {
    // The text Cisco's gateways send by default for senders blocked by their Talos (SBRS)
    // score; it names no IP, so none is reported.
    let reply = "554 Your access to this mail system has been rejected due to the sending MTA's poor reputation. If you believe that this failure is in error, please contact the intended recipient via alternate means.";
    assert_eq!(verdict(reply), owned("cisco-talos", None, None));
    let variant = "554-gw.example.net 554 your access to this mail system has been rejected due to the sending MTA poor reputation. If you believe that this failure is in error please contact the intended recipient via alternate means.";
    assert_eq!(verdict(variant), owned("cisco-talos", None, None));
}

#[test]
fn a_throttle_is_a_rate_limit_not_a_listing() {
    let delivery = recognised("451 4.7.500 Server busy. Please try again later from [192.0.2.86]. (S77714)");
    assert_eq!((delivery.reason, delivery.blocklist.is_none()), (Reason::Speeding, true));
}

#[test]
fn outside_lists_repeated_by_a_receiver() {
    let delivery = recognised("554 resimta-h1.sys.comcast.example resimta-h1.sys.comcast.example 192.0.2.87 found on one or more DNSBLs, see http://postmaster.comcast.net/smtp-error-codes.php#BL000010");
    assert_eq!(list_kind(&delivery), ListKind::Outside);
    assert_eq!(list_kind(&recognised("554 5.7.1 Client host [192.0.2.88] blocked using zen.spamhaus.org")), ListKind::Spam);
}

#[test]
fn reputation_wording_alone_names_no_provider() {
    // "reputation of the sending IP" is Gmail's documented wording, but other receivers write it
    // too: without Gmail's own marks (gsmtp, its hosts) it is an unknown receiver's verdict on
    // the IP it names, never Gmail's.
    let zoho_like = "554 5.7.1 Email rejected due to poor reputation of the sending IP 198.51.100.61. Please contact your email provider.";
    assert_eq!(verdict(zoho_like), owned(GENERIC_DNSBL, None, Some("198.51.100.61")));
    let broadcom_like = "550 Message rejected due to sender IP reputation ([192.0.2.230])";
    assert_eq!(verdict(broadcom_like), owned(GENERIC_DNSBL, None, Some("192.0.2.230")));
    let gmail = "550-5.7.1 Our system has detected that this message is likely suspicious due to the very low reputation of the sending IP address 192.0.2.231. - gsmtp";
    assert_eq!(verdict(gmail).map(|v| v.0).as_deref(), Some("gmail"));
    // Reputation words with no IP named where the sender's is written stay no block.
    assert_eq!(verdict("554 5.7.1 rejected due to poor reputation (see 192.0.2.232)"), None);
    // Gmail's reply cut before its `gsmtp` tail (a one-line Diagnostic-Code) is still Gmail's
    // when the DSN's Remote-MTA is Gmail's MX; the same words from another MX are not.
    let cut = "421-4.7.0 [192.0.2.233      15] Our system has detected that this message is suspicious due to the very low reputation of the sending IP address.";
    assert_eq!(verdict_to(cut, "a@gmail.example", Some("gmail-smtp-in.l.google.com")).map(|v| v.0).as_deref(), Some("gmail"));
    assert_ne!(verdict_to(cut, "a@mail.example", Some("mx.mail.example")).map(|v| v.0).as_deref(), Some("gmail"));
}

#[test]
fn a_reputation_verdict_from_broadcoms_mx_is_broadcoms() {
    // Email Security.cloud's inbound MX hosts are clusterN[a].REGION.messagelabs.com: a
    // reputation refusal the DSN's Remote-MTA puts there is Broadcom's (`symantec`), with its
    // removal page and the IP the verdict names; the same words from another MX stay an unknown
    // receiver's, and Broadcom's name in the host alone makes no block.
    let reply = "550 Message rejected due to sender IP reputation ([192.0.2.231])";
    let at = |mta: &str| {
        let mut delivery = Delivery {
            diagnostic: Some(reply.to_owned()),
            reason: crate::classify::classify(reply, None).reason,
            recipient: Some("a@customer.example".to_owned()),
            remote_mta: Some(mta.to_owned()),
            ..Delivery::default()
        };
        recognise(&mut delivery, &Context::default());
        delivery.blocklist.map(|b| (b.provider, b.ip, b.delist_url))
    };
    let broadcom = Some(("symantec".to_owned(), Some("192.0.2.231".to_owned()), Some("https://ipremoval.sms.symantec.com/".to_owned())));
    assert_eq!(at("cluster1.eu.messagelabs.com"), broadcom);
    assert_eq!(at("cluster5a.us.messagelabs.com."), broadcom);
    assert_eq!(at("mx.customer.example").map(|b| b.0).as_deref(), Some(GENERIC_DNSBL));
    assert_eq!(verdict_to("550 5.1.1 <a@customer.example>: Recipient address rejected: User unknown", "a@customer.example", Some("cluster1.eu.messagelabs.com")), None);
}

#[test]
fn a_receivers_own_listing_reads_the_ip_from_its_urls_query() {
    // A receiver's own list with no zone: the IP is the one its help link carries as `?ip=` /
    // `&ip=`, whatever parameters follow (blocklists.md, "where the sender's IP is").
    for (reply, ip) in [
        ("554 mx.example.net ESMTP not available. IP address is black listed. For explanation visit https://help.example.net/senders?ip=198.51.100.62&c=bl", "198.51.100.62"),
        ("554 5.7.1 Your address is blacklisted; see https://postmaster.example.org/check?lang=en&ip=198.51.100.63&ref=x", "198.51.100.63"),
    ] {
        assert_eq!(verdict(reply), owned(GENERIC_DNSBL, None, Some(ip)), "{reply}");
    }
}

#[test]
fn the_senders_own_outbound_filter_is_no_listing() {
    // blocklists.md, Trend Micro ERS update: Trend's outbound filtering of the sender's own
    // provider is that provider's block: no ERS listing, the sender's administrator acts.
    // The second wording names the product between "by" and "outbound" (try6 case 121): the
    // direction word decides, not the phrase around it.
    for reply in [
        "550 5.7.1 Message refused by outbound policy: spam sent from this account. Trend Micro Hosted Email Security outbound filtering blocked it. Please contact your administrator.",
        "550 5.7.1 Message rejected by Trend Micro Email Security outbound filtering. The sending account has exceeded outbound spam thresholds.",
    ] {
        let delivery = Delivery { action: Some(crate::report::Action::Failed), ..recognised(reply) };
        assert_eq!(delivery.blocklist, None, "{reply}");
        assert_eq!(delivery.reason, Reason::PolicyViolation, "{reply}");
        let ids: Vec<&str> = crate::advice::plan(crate::report::Kind::Bounce, &[delivery]).iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["contact-mail-admin", "resend-after-fix"], "{reply}");
    }
    // An ERS listing that Trend's inbound gateway applies stays a listing.
    assert_eq!(verdict("550 5.7.1 Mail from 192.0.2.233 blocked using Trend Micro Email Reputation Service").map(|v| v.0).as_deref(), Some("trendmicro-ers"));
}

#[test]
fn a_reputation_rate_limit_while_retrying_is_waited_out_and_slowed() {
    // Microsoft's 4.7.650 deferral (blocklists.md, Microsoft update): the server keeps retrying,
    // so nothing is resent, and the plan says to send slower beside the reputation steps.
    let reply = "451 4.7.650 The mail server [198.51.100.64] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://postmaster.live.com (S775)";
    let delivery = Delivery { action: Some(crate::report::Action::Delayed), ..recognised(reply) };
    assert_eq!(delivery.blocklist.as_ref().map(|b| (b.provider.as_str(), b.ip.as_deref())), Some(("microsoft-outlook", Some("198.51.100.64"))));
    let ids: Vec<&str> = crate::advice::plan(crate::report::Kind::Delay, &[delivery]).iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids.first(), Some(&"do-not-resend"), "{ids:?}");
    assert!(ids.contains(&"slow-down") && ids.contains(&"check-ip-reputation"), "{ids:?}");
    assert!(!ids.iter().any(|id| id.starts_with("resend")), "{ids:?}");
}
