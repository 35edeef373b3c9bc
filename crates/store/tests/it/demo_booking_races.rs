//! Racing guests never get more demo rooms than a type has: concurrent bookings, one reference
//! booked at once into two types, changes and bookings racing for the last room.

use hotel_store::testing::test_store;
use hotel_store::{Backend, DemoBookOutcome, DemoModifyOutcome, Store};

use crate::demo_bookings::{book, booked, booking, revision, taken};
use crate::support::{at, on_both_backends, tenant};

/// Books `attempts` different references at once into `room_type` for the 15th–17th.
async fn race(store: &Store, attempts: usize, room_type: &str, rooms: u32) -> Vec<DemoBookOutcome> {
    let tasks: Vec<_> = (0..attempts)
        .map(|n| {
            let store = store.clone();
            let new = booking(&format!("RACE-{n}"), room_type, 15, 17);
            tokio::spawn(async move { store.book_demo_room(&new, rooms, at(10, 0, 0)).await })
        })
        .collect();
    let mut outcomes = Vec::new();
    for task in futures::future::join_all(tasks).await {
        outcomes.push(task.expect("task").expect("book"));
    }
    outcomes
}

async fn fifty_guests_racing_for_three_rooms_get_three(backend: Backend) {
    let test = test_store(backend).await;
    let store = &test.store;
    // Five suites, two already taken (one of them only on the 16th).
    booked(book(store, &booking("EARLY-1", "suite", 14, 17), 5).await);
    booked(book(store, &booking("EARLY-2", "suite", 16, 20), 5).await);
    let outcomes = race(store, 50, "suite", 5).await;
    let won = outcomes
        .iter()
        .filter(|o| matches!(o, DemoBookOutcome::Booked(_)))
        .count();
    let full = outcomes
        .iter()
        .filter(|o| matches!(o, DemoBookOutcome::Full))
        .count();
    assert_eq!((won, full), (3, 47), "{outcomes:?}");
    assert_eq!(taken(store, "suite", 15, 17).await, 5);
    assert_eq!(taken(store, "suite", 15, 16).await, 4);
}

async fn the_same_reference_racing_books_once(backend: Backend) {
    let test = test_store(backend).await;
    let tasks: Vec<_> = (0..20)
        .map(|n| {
            let store = test.store.clone();
            // Half of them ask for another type: a different lock, the same reference.
            let room_type = if n % 2 == 0 { "suite" } else { "double" };
            let new = booking("HTL-SAME", room_type, 15, 17);
            tokio::spawn(async move { store.book_demo_room(&new, 10, at(10, 0, 0)).await })
        })
        .collect();
    let mut ids = Vec::new();
    let mut booked_count = 0;
    for task in futures::future::join_all(tasks).await {
        match task.expect("task").expect("book") {
            DemoBookOutcome::Booked(record) => {
                booked_count += 1;
                ids.push(record.id);
            }
            DemoBookOutcome::Existing(record) => ids.push(record.id),
            DemoBookOutcome::Full => panic!("ten rooms are free"),
        }
    }
    assert_eq!(booked_count, 1);
    ids.dedup();
    assert_eq!(ids.len(), 1, "every call answers with the one booking");
}

async fn changes_racing_bookings_for_the_last_room_take_it_once(backend: Backend) {
    let test = test_store(backend).await;
    let store = &test.store;
    // Ten doubles want to become the one free suite while ten new suite bookings arrive.
    let mut doubles = Vec::new();
    for n in 0..10 {
        doubles.push(booked(
            book(store, &booking(&format!("D-{n}"), "double", 15, 17), 10).await,
        ));
    }
    let changes: Vec<_> = doubles
        .iter()
        .map(|double| {
            let store = store.clone();
            let id = double.id;
            tokio::spawn(async move {
                let outcome = store
                    .modify_demo_booking(&tenant(), id, at(11, 0, 0), |current| {
                        Ok::<_, String>(revision(current, "suite", 15, 17, 1))
                    })
                    .await
                    .expect("modify");
                matches!(outcome, DemoModifyOutcome::Modified(_))
            })
        })
        .collect();
    let bookings = race(store, 10, "suite", 1);
    let (changed, booked_outcomes) = tokio::join!(futures::future::join_all(changes), bookings);
    let changed = changed
        .into_iter()
        .filter(|won| *won.as_ref().expect("task"))
        .count();
    let new = booked_outcomes
        .iter()
        .filter(|o| matches!(o, DemoBookOutcome::Booked(_)))
        .count();
    assert_eq!(changed + new, 1, "one suite, one winner");
    assert_eq!(taken(store, "suite", 15, 17).await, 1);
    assert_eq!(
        taken(store, "double", 15, 17).await,
        10 - u32::try_from(changed).expect("small")
    );
}

on_both_backends!(
    fifty_guests_racing_for_three_rooms_get_three,
    the_same_reference_racing_books_once,
    changes_racing_bookings_for_the_last_room_take_it_once,
);
