//! hotel-whatsapp
