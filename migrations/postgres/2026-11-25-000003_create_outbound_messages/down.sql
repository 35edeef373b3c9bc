DROP TABLE outbound_messages;
