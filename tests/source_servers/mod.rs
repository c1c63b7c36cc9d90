//! The address sources' servers for the tests, on 127.0.0.1 only, each on a thread of its own
//! (so a test's emulator, the library and the `twilio-allowlist` binary can all use them): a DNS
//! server answering A records, NXDOMAIN or nothing at all; an HTTP server serving feeds.
#![allow(dead_code)]

use std::{
    collections::HashMap,
    io::{BufRead, BufReader, Write},
    net::{Ipv4Addr, SocketAddr, TcpListener, UdpSocket},
    sync::{Arc, Mutex},
    thread,
};

use hickory_proto::{
    op::{Message, MessageType, OpCode, ResponseCode},
    rr::{RData, Record, RecordType, rdata::A},
};

/// What the DNS server answers for a name.
#[derive(Debug, Clone)]
pub enum Answer {
    /// These A records (none: NOERROR with an empty answer).
    A(Vec<Ipv4Addr>),
    /// NXDOMAIN.
    NxDomain,
    /// No answer at all (the resolver times out).
    Silence,
}

/// A DNS server on 127.0.0.1 whose answers a test sets, and changes, by host name. Names it
/// was not told about are NXDOMAIN.
pub struct DnsServer {
    addr: SocketAddr,
    answers: Arc<Mutex<HashMap<String, Answer>>>,
    queries: Arc<Mutex<Vec<(String, RecordType)>>>,
}

impl DnsServer {
    pub fn start() -> DnsServer {
        let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
        let addr = socket.local_addr().unwrap();
        let answers: Arc<Mutex<HashMap<String, Answer>>> = Arc::default();
        let queries: Arc<Mutex<Vec<(String, RecordType)>>> = Arc::default();
        let (a, q) = (answers.clone(), queries.clone());
        thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok((n, peer)) = socket.recv_from(&mut buf) {
                let Ok(request) = Message::from_vec(&buf[..n]) else {
                    continue;
                };
                let Some(query) = request.queries.first().cloned() else {
                    continue;
                };
                let name = query.name().to_ascii().trim_end_matches('.').to_owned();
                q.lock().unwrap().push((name.clone(), query.query_type()));
                let answer = a.lock().unwrap().get(&name).cloned();
                let mut response =
                    Message::new(request.metadata.id, MessageType::Response, OpCode::Query);
                response.metadata.recursion_desired = request.metadata.recursion_desired;
                response.metadata.recursion_available = true;
                response.add_query(query.clone());
                match answer {
                    Some(Answer::Silence) => continue,
                    None | Some(Answer::NxDomain) => {
                        response.metadata.response_code = ResponseCode::NXDomain;
                    }
                    Some(Answer::A(ips)) => {
                        if query.query_type() == RecordType::A {
                            for ip in ips {
                                response.add_answer(Record::from_rdata(
                                    query.name().clone(),
                                    60,
                                    RData::A(A(ip)),
                                ));
                            }
                        }
                    }
                }
                let _ = socket.send_to(&response.to_vec().unwrap(), peer);
            }
        });
        DnsServer {
            addr,
            answers,
            queries,
        }
    }

    /// `127.0.0.1:PORT`, for `--nameserver`.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// What it answers for `host` from now on.
    pub fn set(&self, host: &str, answer: Answer) {
        self.answers.lock().unwrap().insert(host.to_owned(), answer);
    }

    /// The queries received: (name, type).
    pub fn queries(&self) -> Vec<(String, RecordType)> {
        self.queries.lock().unwrap().clone()
    }
}

/// One response the feed server gives for a path.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: String,
}

/// An HTTP/1.1 server on 127.0.0.1 serving what a test sets, by path (404 otherwise), and
/// counting the requests.
pub struct FeedServer {
    addr: SocketAddr,
    replies: Arc<Mutex<HashMap<String, Reply>>>,
    requests: Arc<Mutex<Vec<String>>>,
}

impl FeedServer {
    pub fn start() -> FeedServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let replies: Arc<Mutex<HashMap<String, Reply>>> = Arc::default();
        let requests: Arc<Mutex<Vec<String>>> = Arc::default();
        let (r, q) = (replies.clone(), requests.clone());
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut first = String::new();
                if reader.read_line(&mut first).is_err() {
                    continue;
                }
                // The headers, up to the blank line (a GET has no body).
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                }
                let path = first.split(' ').nth(1).unwrap_or("/").to_owned();
                q.lock().unwrap().push(path.clone());
                let bare = path.split('?').next().unwrap_or_default();
                let reply = r.lock().unwrap().get(bare).cloned().unwrap_or(Reply {
                    status: 404,
                    body: "not found".into(),
                });
                let _ = write!(
                    stream,
                    "HTTP/1.1 {} X\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{}",
                    reply.status,
                    reply.body.len(),
                    reply.body
                );
            }
        });
        FeedServer {
            addr,
            replies,
            requests,
        }
    }

    /// Serves `body` with `status` at `path`, and returns the URL.
    pub fn serve(&self, path: &str, status: u16, body: &str) -> String {
        self.replies.lock().unwrap().insert(
            path.to_owned(),
            Reply {
                status,
                body: body.to_owned(),
            },
        );
        format!("http://{}{path}", self.addr)
    }

    /// The paths requested so far.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}
