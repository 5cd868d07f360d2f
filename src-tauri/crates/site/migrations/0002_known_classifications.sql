-- Microsoft's update classifications by their published, stable ids, so updates imported
-- before their classification's document still show a classification. `synced = 0` marks
-- them; the upstream's own category documents replace them on the first sync.
INSERT INTO categories (category_id, kind, title, parent_id, synced) VALUES
    ('e6cf1350-c01b-414d-a61f-263d14d133b4', 'UpdateClassification', 'Critical Updates', NULL, 0),
    ('0fa1201d-4330-4fa8-8ae9-b877473b6441', 'UpdateClassification', 'Security Updates', NULL, 0),
    ('e0789628-ce08-4437-be74-2495b842f43b', 'UpdateClassification', 'Definition Updates', NULL, 0),
    ('28bc880e-0592-4cbf-8f95-c79b17911d5f', 'UpdateClassification', 'Update Rollups', NULL, 0),
    ('68c5b0a3-d1a6-4553-ae49-01d3a7827828', 'UpdateClassification', 'Service Packs', NULL, 0),
    ('cd5ffd1e-e932-4e3a-bf74-18bf0b1bbd83', 'UpdateClassification', 'Updates', NULL, 0),
    ('b54e7d24-7add-428f-8b75-90a396fa584f', 'UpdateClassification', 'Feature Packs', NULL, 0),
    ('b4832bd8-e735-4761-8daf-37f882276dab', 'UpdateClassification', 'Tools', NULL, 0),
    ('3689bdc8-b205-4af4-8d4a-a63924c5e9d5', 'UpdateClassification', 'Upgrades', NULL, 0),
    ('ebfc1fc5-71a4-4f7b-9aca-3b9a503104a0', 'UpdateClassification', 'Drivers', NULL, 0);
