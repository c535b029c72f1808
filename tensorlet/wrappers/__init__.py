"""scikit-learn wrappers: the classic KerasClassifier/KerasRegressor and Keras 3's SKLearn* classes."""
