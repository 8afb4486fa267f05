"""Churn prediction: the model scored in `marts.customer_churn` and its evaluation report."""
