//! Narrative drafts (R4, R10, R22, R25, R27), written from recorded facts alone.
