"""The printed plan: reportlab renderers for the plan PDF and the referral PDF."""
