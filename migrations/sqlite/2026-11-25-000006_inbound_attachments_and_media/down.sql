DROP TABLE media_files;
ALTER TABLE inbound_messages DROP COLUMN attachment;
