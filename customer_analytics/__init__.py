"""Python code of the customer-analytics warehouse (data generator, statistical models)."""
