DROP TABLE conversation_sessions;
