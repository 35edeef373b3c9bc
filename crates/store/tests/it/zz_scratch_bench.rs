use std::time::Instant;
use hotel_store::Backend;
use crate::support::{LEASE, at, message, reply, store_with_tenant};

async fn bench(backend: Backend) {
    let test = store_with_tenant(backend).await;
    let store = test.store.clone();
    let tasks = 16; let per = 500;
    let started = Instant::now();
    let handles: Vec<_> = (0..tasks).map(|t| { let store = store.clone(); tokio::spawn(async move {
        for i in 0..per { store.insert_inbound(&[message(&format!("g{t}-{}", i % 50), &format!("w{t}-{i}"), at(10, 0, 0))], at(10,0,1)).await.expect("insert"); }
    })}).collect();
    for h in handles { h.await.expect("task"); }
    let n = tasks * per;
    let el = started.elapsed();
    println!("{backend}: {n} single inserts in {el:?} = {:.0}/s", n as f64 / el.as_secs_f64());
    let batch: Vec<_> = (0..1000).map(|i| message(&format!("b{i}"), &format!("batch-{i}"), at(10,0,0))).collect();
    let started = Instant::now();
    store.insert_inbound(&batch, at(10,0,1)).await.expect("batch");
    println!("{backend}: 1000-message batch in {:?}", started.elapsed());
    let started = Instant::now();
    let mut done = 0;
    loop {
        let claimed = store.claim_inbound("w", 50, at(10, 1, 0), LEASE).await.expect("claim");
        if claimed.is_empty() { break; }
        for c in &claimed { store.complete_inbound(c.id, "w", &[reply(c, "ok")], at(10,1,0)).await.expect("complete"); done += 1; }
        if done >= 3000 { break; }
    }
    let el = started.elapsed();
    println!("{backend}: {done} claim+complete in {el:?} = {:.0}/s", done as f64 / el.as_secs_f64());
    let started = Instant::now();
    let s = store.claim_inbound("w2", 50, at(10, 1, 0), LEASE).await.expect("claim");
    println!("{backend}: one claim of {} in {:?}", s.len(), started.elapsed());
}
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bench_pg() { bench(Backend::Postgres).await }
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bench_sqlite() { bench(Backend::Sqlite).await }
