DROP TABLE delivery_statuses;
