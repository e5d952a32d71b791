"""The partners' own space: private links, their scope, declarations and disagreement threads."""
